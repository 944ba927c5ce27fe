#include "mib/streams/detail/graph.hpp"

#include <algorithm>

namespace mib::streams::detail {

void Graph::claim_name(const std::string& name) {
  if (name.empty()) {
    throw Exception{Error{errc::invalid_argument,
                          "a stateful operator needs a name (it names its state store)"}};
  }
  if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
    throw Exception{Error{errc::invalid_argument,
                          "the topology already has an operator or store named '" + name + "'"}};
  }
  names_.push_back(name);
}

void Graph::add_source(SourceBase& source) {
  if (this->source(source.topic()) != nullptr) {
    throw Exception{Error{errc::invalid_argument,
                          "topic '" + source.topic() + "' is already a source of this topology"}};
  }
  sources_.push_back(&source);
}

SourceBase* Graph::source(std::string_view topic) const {
  for (SourceBase* s : sources_) {
    if (s->topic() == topic) return s;
  }
  return nullptr;
}

SinkBase* Graph::find_sink(std::string_view topic) const {
  for (const auto& s : sinks_) {
    if (s->topic() == topic) return s.get();
  }
  return nullptr;
}

}  // namespace mib::streams::detail
