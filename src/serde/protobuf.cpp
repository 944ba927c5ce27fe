// mib::protobuf::encode / decode: a struct to its generated message and the message to
// bytes (deterministically), and back.
#include "mib/serde/protobuf.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>

#include "serde/protobuf_convert.hpp"
#include "serde/protobuf_direct.hpp"

namespace mib::protobuf {

namespace {

Error failed(std::string_view type, std::string_view what) {
  return Error{errc::bad_message, std::string{type} + " Protobuf: " + std::string{what}};
}

Error field_error(std::string_view type, const Issue& issue) {
  if (issue.path.empty()) return failed(type, issue.what);
  return failed(type, "field '" + issue.path + "' " + issue.what);
}

template <typename Pb, typename T>
Error encode_as(std::string_view type, const T& value, std::string& out) {
  Pb message;
  if (Problem p = to_proto(value, message)) return field_error(type, *p);
  if (message.ByteSizeLong() > static_cast<std::size_t>(INT_MAX)) {
    return failed(type, "the message is over 2 GiB, Protobuf's limit");
  }
  const std::size_t before = out.size();
  bool written = false;
  {
    google::protobuf::io::StringOutputStream stream{&out};  // appends
    google::protobuf::io::CodedOutputStream coded{&stream};
    coded.SetSerializationDeterministic(true);
    written = message.SerializeToCodedStream(&coded);
  }
  if (!written) {
    out.resize(before);
    return failed(type, "could not be serialized");
  }
  return {};
}

template <typename Pb, typename T>
Error decode_as(std::string_view type, std::string_view bytes, T& value) {
  Pb message;
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) ||
      !message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return failed(type, "not a valid message");
  }
  if (Problem p = from_proto(message, value)) return field_error(type, *p);
  return {};
}

// MarketData and Trade, the types read by the million, are read straight from the wire
// when they are of the plain shape, else through the generated message.
template <typename Pb, typename T>
Error decode_direct_or_as(std::string_view type, std::string_view bytes, T& value) {
  if (Problem p; read_direct(bytes, value, p)) return p ? field_error(type, *p) : Error{};
  return decode_as<Pb>(type, bytes, value);
}

}  // namespace

Error encode(const MarketData& value, std::string& out) {
  return encode_as<pb::MarketData>("MarketData", value, out);
}
Error encode(const Order& value, std::string& out) {
  return encode_as<pb::Order>("Order", value, out);
}
Error encode(const Trade& value, std::string& out) {
  return encode_as<pb::Trade>("Trade", value, out);
}
Error encode(const Event& value, std::string& out) {
  return encode_as<pb::Event>("Event", value, out);
}
Error encode(const Control& value, std::string& out) {
  return encode_as<pb::Control>("Control", value, out);
}
Error encode(const Envelope& value, std::string& out) {
  return encode_as<pb::Envelope>("Envelope", value, out);
}
Error encode(const MessageBatch& value, std::string& out) {
  return encode_as<pb::MessageBatch>("MessageBatch", value, out);
}

Error decode(std::string_view bytes, MarketData& value) {
  return decode_direct_or_as<pb::MarketData>("MarketData", bytes, value);
}
Error decode(std::string_view bytes, Order& value) {
  return decode_as<pb::Order>("Order", bytes, value);
}
Error decode(std::string_view bytes, Trade& value) {
  return decode_direct_or_as<pb::Trade>("Trade", bytes, value);
}
Error decode(std::string_view bytes, Event& value) {
  return decode_as<pb::Event>("Event", bytes, value);
}
Error decode(std::string_view bytes, Control& value) {
  return decode_as<pb::Control>("Control", bytes, value);
}
Error decode(std::string_view bytes, Envelope& value) {
  return decode_as<pb::Envelope>("Envelope", bytes, value);
}
Error decode(std::string_view bytes, MessageBatch& value) {
  return decode_as<pb::MessageBatch>("MessageBatch", bytes, value);
}

}  // namespace mib::protobuf
