// The Protobuf values of the market enums: ours are 1 up in declaration order, 0 is the
// proto3 UNSPECIFIED, which no struct holds; reading it, or a value this version does not
// know, is an error naming the field.
#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {

namespace {

// Ours are declared in the order of the .proto's values 1, 2, ...
template <typename Pb, typename Enum>
Pb shifted(Enum value) {
  return static_cast<Pb>(static_cast<int>(value) + 1);
}

template <typename Pb, typename Enum>
Problem unshifted(std::string_view field, Pb value, int count, Enum& out) {
  const int number = static_cast<int>(value);
  if (number == 0) return Issue{std::string{field}, "is unspecified (0), and it is required"};
  if (number < 0 || number > count) {
    return Issue{std::string{field}, "has an unknown value " + std::to_string(number)};
  }
  out = static_cast<Enum>(number - 1);
  return std::nullopt;
}

}  // namespace

pb::Side to_proto(Side value) {
  return shifted<pb::Side>(value);
}
pb::OrderType to_proto(OrderType value) {
  return shifted<pb::OrderType>(value);
}
pb::OrderStatus to_proto(OrderStatus value) {
  return shifted<pb::OrderStatus>(value);
}
pb::Severity to_proto(Severity value) {
  return shifted<pb::Severity>(value);
}
pb::MessageType to_proto(MessageType value) {
  return shifted<pb::MessageType>(value);
}

Problem from_proto(std::string_view field, pb::Side value, Side& out) {
  return unshifted(field, value, pb::Side_MAX, out);
}
Problem from_proto(std::string_view field, pb::OrderType value, OrderType& out) {
  return unshifted(field, value, pb::OrderType_MAX, out);
}
Problem from_proto(std::string_view field, pb::OrderStatus value, OrderStatus& out) {
  return unshifted(field, value, pb::OrderStatus_MAX, out);
}
Problem from_proto(std::string_view field, pb::Severity value, Severity& out) {
  return unshifted(field, value, pb::Severity_MAX, out);
}

// The .proto must list them in our order: a reordering on either side fails to build.
static_assert(pb::SIDE_SELL == 1 + static_cast<int>(Side::sell));
static_assert(pb::ORDER_TYPE_STOP_LIMIT == 1 + static_cast<int>(OrderType::stop_limit));
static_assert(pb::ORDER_STATUS_CANCELED == 1 + static_cast<int>(OrderStatus::canceled));
static_assert(pb::ORDER_STATUS_EXPIRED == 1 + static_cast<int>(OrderStatus::expired));
static_assert(pb::SEVERITY_CRITICAL == 1 + static_cast<int>(Severity::critical));
static_assert(pb::MESSAGE_TYPE_CONTROL == 1 + static_cast<int>(MessageType::control));
static_assert(pb::Side_MAX == 2 && pb::OrderType_MAX == 4 && pb::OrderStatus_MAX == 6 &&
              pb::Severity_MAX == 4 && pb::MessageType_MAX == 5);

}  // namespace mib::protobuf
