// Internal: the node a processor (processor.hpp) runs in: records in, its context's
// forwards out, stream time and wall-clock time to its punctuators and window stores.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <utility>

#include "mib/streams/processor.hpp"

namespace mib::streams::detail {

template <typename K, typename V, typename K2, typename V2, typename P>
class ProcessNode : public Node {
 public:
  using Out = Record<K2, V2>;
  using Ctx = ProcessorContext<K2, V2>;

  ProcessNode(Context& context, std::string name, Graph& graph, P processor)
      : Node(context, name),
        context_(std::move(name), graph, out),
        processor_(std::move(processor)) {
    if constexpr (requires { processor_.init(context_); }) processor_.init(context_);
  }

  Outlet<Out> out;

  void push(Record<K, V>&& r) {
    if constexpr (std::invocable<P&, Record<K, V>&&, Ctx&>) {
      processor_(std::move(r), context_);
    } else {
      processor_.process(std::move(r), context_);
    }
  }

  std::size_t state_bytes() const override { return context_.state_bytes(); }
  void on_wall_clock() override { context_.punctuate(Punctuation::wall_clock, context().wall_now); }

 protected:
  Timestamp on_watermark(Timestamp in) override {
    context_.advance_stream_time(in);
    return in;
  }

 private:
  Ctx context_;
  P processor_;
};

}  // namespace mib::streams::detail
