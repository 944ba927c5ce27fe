// MarketData and Trade read straight from the wire (see protobuf_direct.hpp). Field
// numbers come from the generated classes, so the .proto stays the one place they are
// written; the checks after reading are from_proto()'s own, in from_proto()'s order.
#include "serde/protobuf_direct.hpp"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {

namespace {

using google::protobuf::Timestamp;
using Wire = google::protobuf::internal::WireFormatLite;

constexpr std::uint32_t varint(int number) {
  return Wire::MakeTag(number, Wire::WIRETYPE_VARINT);
}
constexpr std::uint32_t fixed64(int number) {
  return Wire::MakeTag(number, Wire::WIRETYPE_FIXED64);
}
constexpr std::uint32_t delimited(int number) {
  return Wire::MakeTag(number, Wire::WIRETYPE_LENGTH_DELIMITED);
}

// One message's bytes, field by field. Each read returns false on bytes it does not take
// as plain (malformed, not canonical, not UTF-8): the generated parser is to judge those.
class Reader {
 public:
  explicit Reader(std::string_view bytes)
      : at_{reinterpret_cast<const unsigned char*>(bytes.data())}, end_{at_ + bytes.size()} {}

  bool more() const { return at_ < end_; }

  // The next field's tag; 0 for a tag longer than one byte, which no field of the plain
  // types has (their numbers are all below 16).
  std::uint32_t tag() { return *at_ < 0x80 ? *at_++ : 0; }

  bool read(std::uint64_t& out) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
      const std::uint64_t byte = *at_++;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        out = value;
        return shift < 63 || byte <= 1;  // the tenth byte holds the last bit only
      }
    }
    return false;
  }

  // An enum, as an int32: the low 32 bits, as protobuf reads one (negative ones take ten
  // bytes on the wire).
  bool read(int& out) {
    std::uint64_t value = 0;
    if (!read(value)) return false;
    out = static_cast<int>(static_cast<std::uint32_t>(value));
    return true;
  }

  bool read(double& out) {
    if (end_ - at_ < 8) return false;
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = bits << 8 | at_[i];  // little-endian on the wire
    at_ += 8;
    out = Wire::DecodeDouble(bits);
    return true;
  }

  bool read(std::string& out) {
    std::string_view bytes;
    if (!read(bytes)) return false;
    out.assign(bytes);
    // The generated parser's check of a proto3 string; ASCII (the usual ids and symbols)
    // needs no call into libprotobuf.
    const bool ascii = std::all_of(bytes.begin(), bytes.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    return ascii || google::protobuf::internal::IsStructurallyValidUTF8(
                        out.data(), static_cast<int>(out.size()));
  }

  // A google.protobuf.Timestamp of seconds and nanos only, merged into what `seconds` and
  // `nanos` hold, as the generated parser merges a message field that comes twice.
  bool read(std::int64_t& seconds, std::int32_t& nanos) {
    std::string_view bytes;
    if (!read(bytes)) return false;
    Reader in{bytes};
    while (in.more()) {
      const std::uint32_t t = in.tag();
      const bool is_seconds = t == varint(Timestamp::kSecondsFieldNumber);
      std::uint64_t value = 0;
      if (!(is_seconds || t == varint(Timestamp::kNanosFieldNumber)) || !in.read(value)) {
        return false;
      }
      if (is_seconds) {
        seconds = static_cast<std::int64_t>(value);
      } else {
        nanos = static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
      }
    }
    return true;
  }

 private:
  // A length-delimited field's bytes.
  bool read(std::string_view& out) {
    std::uint64_t size = 0;
    if (!read(size) || size > static_cast<std::uint64_t>(end_ - at_)) return false;
    out = {reinterpret_cast<const char*>(at_), static_cast<std::size_t>(size)};
    at_ += size;
    return true;
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

// The time of a Timestamp read off the wire, checked as from_proto() checks it.
struct WireTime {
  bool present = false;
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;

  bool read(Reader& in) { return present = in.read(seconds, nanos); }
  Problem to(UtcTime& out) const { return from_proto("timestamp", present, seconds, nanos, out); }
};

}  // namespace

bool read_direct(std::string_view bytes, MarketData& out, Problem& problem) {
  using M = pb::MarketData;
  if (bytes.size() > INT_MAX) return false;
  Reader in{bytes};
  out.symbol.clear();
  out.source.clear();
  out.fields.clear();
  out.bid_size = out.ask_size = out.volume = 0;
  double last = 0, bid = 0, ask = 0;
  WireTime time;
  while (in.more()) {
    bool ok = false;
    switch (in.tag()) {
      case delimited(M::kSymbolFieldNumber): ok = in.read(out.symbol); break;
      case fixed64(M::kLastPriceFieldNumber): ok = in.read(last); break;
      case fixed64(M::kBidPriceFieldNumber): ok = in.read(bid); break;
      case fixed64(M::kAskPriceFieldNumber): ok = in.read(ask); break;
      case varint(M::kBidSizeFieldNumber): ok = in.read(out.bid_size); break;
      case varint(M::kAskSizeFieldNumber): ok = in.read(out.ask_size); break;
      case varint(M::kVolumeFieldNumber): ok = in.read(out.volume); break;
      case delimited(M::kTimestampFieldNumber): ok = time.read(in); break;
      case delimited(M::kSourceFieldNumber): ok = in.read(out.source); break;
      default: break;  // a `fields` entry, an unknown field or a malformed tag
    }
    if (!ok) return false;
  }
  problem = read_double("last_price", last, out.last_price);
  if (!problem) problem = read_double("bid_price", bid, out.bid_price);
  if (!problem) problem = read_double("ask_price", ask, out.ask_price);
  if (!problem) problem = time.to(out.timestamp);
  return true;
}

bool read_direct(std::string_view bytes, Trade& out, Problem& problem) {
  using T = pb::Trade;
  if (bytes.size() > INT_MAX) return false;
  Reader in{bytes};
  out.trade_id.clear();
  out.order_id.clear();
  out.symbol.clear();
  out.venue.clear();
  out.fields.clear();
  out.quantity = 0;
  int side = 0;
  double price = 0, fee = 0;
  bool has_fee = false, has_fee_currency = false;
  std::string& fee_currency = out.fee_currency ? *out.fee_currency : out.fee_currency.emplace();
  fee_currency.clear();
  WireTime time;
  while (in.more()) {
    bool ok = false;
    switch (in.tag()) {
      case delimited(T::kTradeIdFieldNumber): ok = in.read(out.trade_id); break;
      case delimited(T::kOrderIdFieldNumber): ok = in.read(out.order_id); break;
      case delimited(T::kSymbolFieldNumber): ok = in.read(out.symbol); break;
      case varint(T::kSideFieldNumber): ok = in.read(side); break;
      case varint(T::kQuantityFieldNumber): ok = in.read(out.quantity); break;
      case fixed64(T::kPriceFieldNumber): ok = in.read(price); break;
      case delimited(T::kTimestampFieldNumber): ok = time.read(in); break;
      case delimited(T::kVenueFieldNumber): ok = in.read(out.venue); break;
      case fixed64(T::kFeeFieldNumber): ok = has_fee = in.read(fee); break;
      case delimited(T::kFeeCurrencyFieldNumber):
        ok = has_fee_currency = in.read(fee_currency);
        break;
      default: break;  // a `fields` entry, an unknown field or a malformed tag
    }
    if (!ok) return false;
  }
  if (!has_fee_currency) out.fee_currency.reset();
  problem = from_proto("side", static_cast<pb::Side>(side), out.side);
  if (!problem) problem = read_double("price", price, out.price);
  if (!problem) problem = time.to(out.timestamp);
  if (!problem) problem = read_double("fee", has_fee, fee, out.fee);
  return true;
}

}  // namespace mib::protobuf
