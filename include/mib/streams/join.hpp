// Join specifications.
//
//   trades.join(quotes, st::JoinWindow::within(100ms), joiner, "trade-quote")  // both ways
//   trades.asof_join(quotes, {.tolerance = 5s, .grace = 50ms}, joiner, "trade-nbbo")
#pragma once

#include <chrono>

#include "mib/error.hpp"
#include "mib/streams/record.hpp"

namespace mib::streams {

// Which records of two streams join: the right record's time within [left - before,
// left + after]. A record's window closes when the watermark passes its time + the far
// side of the window + grace; left, right and outer joins then emit it alone if it found
// no partner.
class JoinWindow {
 public:
  JoinWindow(Millis before, Millis after) : before_(before), after_(after) {
    if (before.count() < 0 || after.count() < 0) {
      throw Exception{
          Error{errc::invalid_argument, "a join window's before and after must not be negative"}};
    }
  }
  // The same span both ways: |left - right| <= d.
  static JoinWindow within(Millis d) { return {d, d}; }
  JoinWindow grace(Millis g) const {
    JoinWindow w = *this;
    w.grace_ = g;
    return w;
  }
  Millis before() const noexcept { return before_; }
  Millis after() const noexcept { return after_; }
  Millis grace_period() const noexcept { return grace_; }

 private:
  Millis before_;
  Millis after_;
  Millis grace_{0};
};

// The as-of join: each left record with the right side's latest record of the same key at
// or before its time. A left record waits until the right side's watermark is past its
// time + grace (so right records up to `grace` out of order still count); one whose latest
// right record is older than `tolerance` has no match.
struct AsOf {
  Millis tolerance = Millis{std::chrono::hours{24 * 365 * 100}};  // no limit
  Millis grace{0};
};

}  // namespace mib::streams
