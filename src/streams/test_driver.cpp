#include "mib/streams/test_driver.hpp"

namespace mib::streams {

TestDriver::TestDriver(Topology& topology, Timestamp wall_clock) : topology_(&topology) {
  detail::Graph& graph = topology_->graph();
  for (const auto& sink : graph.sinks()) sink->bind(nullptr);
  for (detail::SourceBase* source : graph.sources()) {
    if (source->internal()) source->stand_aside();  // repartitioned records go straight on
  }
  graph.context.wall_now = wall_clock;
}

void TestDriver::advance_to(Timestamp time) {
  for (detail::SourceBase* source : topology_->graph().sources()) source->advance_to(time);
}

void TestDriver::advance_wall_clock(Millis by) {
  detail::Graph& graph = topology_->graph();
  graph.context.wall_now += by;
  for (const auto& node : graph.nodes()) node->on_wall_clock();
}

Timestamp TestDriver::wall_clock() const noexcept {
  return topology_->graph().context.wall_now;
}

std::uint64_t TestDriver::late_records(std::string_view operator_name) const {
  for (const auto& node : topology_->graph().nodes()) {
    if (node->name() == operator_name) return node->late_records();
  }
  throw Exception{Error{errc::invalid_argument,
                        "the topology has no operator '" + std::string{operator_name} + "'"}};
}

std::size_t TestDriver::state_bytes() const {
  std::size_t bytes = 0;
  for (const auto& node : topology_->graph().nodes()) bytes += node->state_bytes();
  return bytes;
}

}  // namespace mib::streams
