// Internal: the stateless steps of a stream. Each stage wraps the step after it, so a chain
// of them is one type the compiler can inline end to end: no virtual call and no
// allocation between filter, map, key_by and the rest.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "mib/streams/detail/node.hpp"
#include "mib/streams/record.hpp"

namespace mib::streams::detail {

// Calls a user function with the value, with key and value, or with the whole record,
// whichever it takes.
template <typename F, typename K, typename V>
decltype(auto) call_on(F& f, const Record<K, V>& r) {
  if constexpr (std::is_invocable_v<F&, const V&>) {
    return std::invoke(f, r.value);
  } else if constexpr (std::is_invocable_v<F&, const K&, const V&>) {
    return std::invoke(f, r.key, r.value);
  } else {
    static_assert(std::is_invocable_v<F&, const Record<K, V>&>,
                  "a stream function takes (const V&), (const K&, const V&) or "
                  "(const Record<K, V>&)");
    return std::invoke(f, r);
  }
}
template <typename F, typename K, typename V>
using call_result_t =
    std::remove_cvref_t<decltype(call_on(std::declval<F&>(), std::declval<const Record<K, V>&>()))>;

// A key that views text becomes a string it owns.
template <typename T>
using owned_key_t = std::conditional_t<
    std::is_convertible_v<T, std::string_view> && !std::is_same_v<T, std::string>, std::string, T>;

struct Identity {
  template <typename Down>
  Down operator()(Down down) const {
    return down;
  }
};

// The pipe so far, then one more stage.
template <typename Pipe, typename Stage>
struct Then {
  Pipe pipe;
  Stage stage;
  template <typename Down>
  auto operator()(Down down) const {
    return pipe(stage(std::move(down)));
  }
};

template <typename P, typename Down>
struct Filtering {
  P pred;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    if (call_on(pred, r)) down(std::forward<R>(r));
  }
};
template <typename P>
struct FilterStage {
  P pred;
  template <typename Down>
  auto operator()(Down down) const {
    return Filtering<P, Down>{pred, std::move(down)};
  }
};

template <typename F, typename Down>
struct Mapping {
  F f;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    using K = typename std::remove_cvref_t<R>::key_type;
    auto value = call_on(f, r);
    down(Record<K, decltype(value)>{std::move(r.key), std::move(value), r.time});
  }
};
template <typename F>
struct MapStage {
  F f;
  template <typename Down>
  auto operator()(Down down) const {
    return Mapping<F, Down>{f, std::move(down)};
  }
};

template <typename F, typename Down>
struct Keying {
  F f;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    using V = typename std::remove_cvref_t<R>::value_type;
    using K = typename std::remove_cvref_t<R>::key_type;
    using K2 = owned_key_t<std::remove_cvref_t<decltype(call_on(f, r))>>;
    if constexpr (std::is_same_v<K, K2>) {
      r.key = call_on(f, r);  // the same record on: no move of the value
      down(std::forward<R>(r));
    } else {
      K2 key(call_on(f, r));
      down(Record<K2, V>{std::move(key), std::move(r.value), r.time});
    }
  }
};
template <typename F>
struct KeyStage {
  F f;
  template <typename Down>
  auto operator()(Down down) const {
    return Keying<F, Down>{f, std::move(down)};
  }
};

// flat_map with a function returning a range: one record per element.
template <typename F, typename Down>
struct FlatMapping {
  F f;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    using K = typename std::remove_cvref_t<R>::key_type;
    for (auto&& v : call_on(f, r)) {
      using V2 = std::remove_cvref_t<decltype(v)>;
      down(Record<K, V2>{r.key, std::forward<decltype(v)>(v), r.time});
    }
  }
};
template <typename F>
struct FlatMapStage {
  F f;
  template <typename Down>
  auto operator()(Down down) const {
    return FlatMapping<F, Down>{f, std::move(down)};
  }
};

// flat_map with a function that calls emit(value) for each output: no container at all.
template <typename V2, typename F, typename Down>
struct Emitting {
  F f;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    using K = typename std::remove_cvref_t<R>::key_type;
    auto emit = [&](V2 v) { down(Record<K, V2>{r.key, std::move(v), r.time}); };
    std::invoke(f, std::as_const(r.value), emit);
  }
};
template <typename V2, typename F>
struct EmitStage {
  F f;
  template <typename Down>
  auto operator()(Down down) const {
    return Emitting<V2, F, Down>{f, std::move(down)};
  }
};

template <typename F, typename Down>
struct Peeking {
  F f;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    call_on(f, r);
    down(std::forward<R>(r));
  }
};
template <typename F>
struct PeekStage {
  F f;
  template <typename Down>
  auto operator()(Down down) const {
    return Peeking<F, Down>{f, std::move(down)};
  }
};

// The end of a chain: into a node's outlet or a sink, through a pointer the graph owns.
template <typename Target>
struct Into {
  Target* target;
  template <typename R>
  void operator()(R&& r) {
    target->push(std::forward<R>(r));
  }
};

// branch(): each record goes to the first branch whose predicate it meets.
template <typename R, std::size_t N>
struct Branches {
  Outlet<R> outs[N];
};
template <typename R, typename... P>
struct Branching {
  std::tuple<P...> preds;
  Branches<R, sizeof...(P)>* branches;
  void operator()(R&& r) { route(std::move(r), std::index_sequence_for<P...>{}); }

 private:
  template <std::size_t... I>
  void route(R&& r, std::index_sequence<I...>) {
    (void)((call_on(std::get<I>(preds), r) ? (branches->outs[I].push(std::move(r)), true)
                                           : false) ||
           ...);
  }
};

}  // namespace mib::streams::detail
