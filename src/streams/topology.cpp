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

}  // namespace mib::streams
