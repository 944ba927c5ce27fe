#include "mib/streams/topology.hpp"

namespace mib::streams {

std::vector<std::string> Topology::source_topics() const {
  std::vector<std::string> topics;
  for (const detail::SourceBase* s : graph_.sources()) topics.push_back(s->topic());
  return topics;
}

std::vector<std::string> Topology::sink_topics() const {
  std::vector<std::string> topics;
  for (const auto& s : graph_.sinks()) topics.push_back(s->topic());
  return topics;
}

std::string Topology::describe() const {
  std::string text;
  for (const auto& node : graph_.nodes()) {
    const bool source = graph_.source(node->name()) == node.get();
    if (node->name() == "merge") continue;
    text += (source ? "source " : "operator ") + node->name() + "\n";
  }
  for (const auto& s : graph_.sinks()) text += "sink " + s->topic() + "\n";
  return text;
}

}  // namespace mib::streams
