// The JSON of envelopes and batches. An envelope's payload is read once its message_type
// is known, wherever the two stand in the object; a batch's envelopes likewise.
#include "mib/serde/json.hpp"
#include "serde/message_tables.hpp"

namespace mib::json {

template <>
struct Table<Envelope> {
  using T = Envelope;
  static constexpr std::string_view name = "Envelope";
  // message_type, payload and metadata are written and read around these.
  static constexpr std::tuple fields{
      Field<T, std::string>{"schema_version", &T::schema_version},
      Field<T, std::string>{"message_id", &T::message_id},
      Field<T, std::optional<std::string>>{"correlation_id", &T::correlation_id},
      Field<T, std::optional<std::string>>{"causation_id", &T::causation_id},
      Field<T, std::string>{"source", &T::source},
      Field<T, std::optional<std::string>>{"destination", &T::destination},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
  };
};

template <>
struct Table<MessageBatch> {
  using T = MessageBatch;
  static constexpr std::string_view name = "MessageBatch";
  // envelopes and size are written and read around these.
  static constexpr std::tuple fields{
      Field<T, std::string>{"batch_id", &T::batch_id},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, std::string>{"compression", &T::compression},
      Field<T, Metadata>{"metadata", &T::metadata},
  };
};

namespace {

Problem write_envelope(const Envelope& v, std::string& out) {
  out += '{';
  append_key(out, "message_type");
  append_escaped(out, to_string(v.message_type()));
  if (Problem p = encode_members(v, out)) return p;
  append_key(out, "payload");
  Error e = std::visit([&](const auto& payload) { return encode_object(payload, out); }, v.payload);
  if (e) return Issue{"payload", e.message()};
  if (!v.metadata.empty()) {
    append_key(out, "metadata");
    write(out, v.metadata);
  }
  out += '}';
  return std::nullopt;
}

Problem read_payload(value& v, MessageType type, Payload& out) {
  switch (type) {
    case MessageType::market_data: return decode_object(v, out.emplace<MarketData>());
    case MessageType::order: return decode_object(v, out.emplace<Order>());
    case MessageType::trade: return decode_object(v, out.emplace<Trade>());
    case MessageType::event: return decode_object(v, out.emplace<Event>());
    case MessageType::control: return decode_object(v, out.emplace<Control>());
  }
  return Issue{"", "has an unknown message type"};
}

// Looks up `key` in `object`: its value, or a problem (missing, invalid).
Problem find(simdjson::ondemand::object& object, std::string_view key, value& out) {
  const auto e = object.find_field_unordered(key).get(out);
  if (e == simdjson::NO_SUCH_FIELD) return Issue{std::string{key}, "is missing"};
  if (e) return under(key, not_valid(e));
  return std::nullopt;
}

// In one pass, as our writer puts message_type first; a payload before its message_type
// asks for the second way, read_envelope_by_lookup().
Problem read_envelope(value& v, Envelope& out) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return wrong(v, "must be an object");
  reset_absent(out);
  out.metadata.clear();
  std::bitset<field_count<Envelope>> seen;
  std::optional<MessageType> type;
  bool has_payload = false, payload_first = false;
  for (auto member : object) {
    std::string_view key;
    if (auto e = member.unescaped_key().get(key)) return not_valid(e);
    value item = member.value();
    if (key == "message_type") {
      MessageType t{};
      if (Problem p = read(item, t)) return under("message_type", std::move(p));
      type = t;
    } else if (key == "payload") {
      has_payload = true;
      if (!type) {
        payload_first = true;  // skipped by the iteration; read in the second pass
        continue;
      }
      if (Problem p = read_payload(item, *type, out.payload)) return under("payload", std::move(p));
    } else if (key == "metadata") {
      if (Problem p = read(item, out.metadata)) return under("metadata", std::move(p));
    } else if (Problem p = decode_member(key, item, out, seen)) {
      return p;
    }
  }
  if (!type) return Issue{"message_type", "is missing"};
  if (Problem p = missing<Envelope>(seen)) return p;
  if (!has_payload) return Issue{"payload", "is missing"};
  if (payload_first) return Issue{.path = "", .what = "", .read_again = true};
  return std::nullopt;
}

// The payload's type is known only from message_type, which here comes after it: members
// are looked up by name rather than read in order.
Problem read_envelope_by_lookup(value& v, Envelope& out) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return wrong(v, "must be an object");
  value item;
  MessageType type{};
  if (Problem p = find(object, "message_type", item)) return p;
  if (Problem p = read(item, type)) return under("message_type", std::move(p));
  if (Problem p = decode_by_lookup(object, out)) return p;
  if (Problem p = find(object, "payload", item)) return p;
  if (Problem p = read_payload(item, type, out.payload)) return under("payload", std::move(p));
  const auto e = object.find_field_unordered("metadata").get(item);
  if (e == simdjson::NO_SUCH_FIELD) {
    out.metadata.clear();
  } else if (e) {
    return under("metadata", not_valid(e));
  } else if (Problem p = read(item, out.metadata)) {
    return under("metadata", std::move(p));
  }
  return std::nullopt;
}

// With `by_lookup`, each envelope is read by lookup (the second pass, after one asked).
Problem read_batch(value& v, MessageBatch& out, bool by_lookup) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return wrong(v, "must be an object");
  reset_absent(out);
  std::bitset<field_count<MessageBatch>> seen;
  bool has_envelopes = false, read_again = false;
  std::optional<std::uint64_t> size;
  for (auto member : object) {
    std::string_view key;
    if (auto e = member.unescaped_key().get(key)) return not_valid(e);
    value item = member.value();
    if (key == "envelopes") {
      simdjson::ondemand::array array;
      if (item.get_array().get(array) != simdjson::SUCCESS) {
        return under("envelopes", wrong(item, "must be an array"));
      }
      has_envelopes = true;
      out.envelopes.clear();
      for (auto element : array) {
        value envelope;
        const std::string index = "envelopes." + std::to_string(out.envelopes.size());
        if (auto e = element.get(envelope)) return under(index, not_valid(e));
        Envelope& next = out.envelopes.emplace_back();
        Problem p =
            by_lookup ? read_envelope_by_lookup(envelope, next) : read_envelope(envelope, next);
        if (p && p->read_again) {
          read_again = true;
        } else if (p) {
          return under(index, std::move(p));
        }
      }
    } else if (key == "size") {
      if (Problem p = read(item, size.emplace())) return under("size", std::move(p));
    } else if (Problem p = decode_member(key, item, out, seen)) {
      return p;
    }
  }
  if (!has_envelopes) return Issue{"envelopes", "is missing"};
  if (Problem p = missing<MessageBatch>(seen)) return p;
  if (size && *size != out.envelopes.size()) {
    return Issue{"size", "is " + std::to_string(*size) + " but the batch holds " +
                             std::to_string(out.envelopes.size()) + " envelopes"};
  }
  if (read_again) return Issue{.path = "", .what = "", .read_again = true};
  return std::nullopt;
}

}  // namespace

Error encode(const Envelope& v, std::string& out) {
  const std::size_t before = out.size();
  if (Problem p = write_envelope(v, out)) {
    out.resize(before);
    return field_error("Envelope", *p);
  }
  return {};
}

Error encode(const MessageBatch& v, std::string& out) {
  const std::size_t before = out.size();
  out += '{';
  append_key(out, "batch_id");
  append_escaped(out, v.batch_id);
  append_key(out, "envelopes");
  out += '[';
  for (std::size_t i = 0; i < v.envelopes.size(); ++i) {
    if (i > 0) out += ',';
    if (Problem p = write_envelope(v.envelopes[i], out)) {
      out.resize(before);
      return field_error("MessageBatch", *under("envelopes." + std::to_string(i), std::move(p)));
    }
  }
  out += ']';
  append_key(out, "timestamp");
  write(out, v.timestamp);
  append_key(out, "size");
  append_number(out, v.envelopes.size());
  append_key(out, "compression");
  append_escaped(out, v.compression);
  if (!v.metadata.empty()) {
    append_key(out, "metadata");
    write(out, v.metadata);
  }
  out += '}';
  return {};
}

Error decode(std::string_view text, Envelope& v) {
  return decode_document(
      text, "Envelope", [&](value& root) { return read_envelope(root, v); },
      [&](value& root) { return read_envelope_by_lookup(root, v); });
}

Error decode(std::string_view text, MessageBatch& v) {
  return decode_document(
      text, "MessageBatch", [&](value& root) { return read_batch(root, v, false); },
      [&](value& root) { return read_batch(root, v, true); });
}

}  // namespace mib::json
