#include <simdjson.h>

#include "mib/serde/json.hpp"
#include "mib/serde/rfc3339.hpp"
#include "serde/json_writer.hpp"

namespace mib::json {

void encode(const MarketData& v, std::string& out) {
  out += '{';
  append_key(out, "symbol");
  append_escaped(out, v.symbol);
  append_key(out, "last_price");
  append_number(out, v.last_price);
  append_key(out, "bid_price");
  append_number(out, v.bid_price);
  append_key(out, "ask_price");
  append_number(out, v.ask_price);
  append_key(out, "bid_size");
  append_number(out, v.bid_size);
  append_key(out, "ask_size");
  append_number(out, v.ask_size);
  append_key(out, "volume");
  append_number(out, v.volume);
  append_key(out, "timestamp");
  out += '"';
  rfc3339::format(v.timestamp, out);
  out += '"';
  append_key(out, "source");
  append_escaped(out, v.source);
  out += '}';
}

namespace {

Error field_error(std::string_view field, std::string_view problem) {
  return Error{errc::bad_message,
               "MarketData JSON: field '" + std::string{field} + "' " + std::string{problem}};
}

}  // namespace

Error decode(std::string_view text, MarketData& v) {
  // simdjson reads past the end of its input, so the text is copied into a padded
  // buffer kept per thread; together with the parser it is reused for every record.
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string buffer;
  buffer.assign(text);
  buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);

  simdjson::ondemand::document doc;
  if (auto err = parser.iterate(buffer.data(), text.size(), buffer.size()).get(doc)) {
    return Error{errc::bad_message,
                 std::string{"MarketData JSON: "} + simdjson::error_message(err)};
  }
  simdjson::ondemand::object object;
  if (auto err = doc.get_object().get(object)) {
    return Error{errc::bad_message, std::string{"MarketData JSON: expected an object: "} +
                                        simdjson::error_message(err)};
  }
  bool has_symbol = false;
  for (auto field : object) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) {
      return Error{errc::bad_message,
                   std::string{"MarketData JSON: bad key: "} + simdjson::error_message(err)};
    }
    auto value = field.value();
    simdjson::error_code err = simdjson::SUCCESS;
    if (key == "symbol") {
      std::string_view s;
      err = value.get_string().get(s);
      v.symbol.assign(s);
      has_symbol = err == simdjson::SUCCESS;
    } else if (key == "last_price") {
      err = value.get_double().get(v.last_price);
    } else if (key == "bid_price") {
      err = value.get_double().get(v.bid_price);
    } else if (key == "ask_price") {
      err = value.get_double().get(v.ask_price);
    } else if (key == "bid_size") {
      err = value.get_uint64().get(v.bid_size);
    } else if (key == "ask_size") {
      err = value.get_uint64().get(v.ask_size);
    } else if (key == "volume") {
      err = value.get_uint64().get(v.volume);
    } else if (key == "timestamp") {
      std::string_view s;
      err = value.get_string().get(s);
      if (!err) {
        auto t = rfc3339::parse(s);
        if (!t) return field_error(key, "is not an RFC 3339 time: \"" + std::string{s} + "\"");
        v.timestamp = *t;
      }
    } else if (key == "source") {
      std::string_view s;
      err = value.get_string().get(s);
      v.source.assign(s);
    }
    // Unknown fields are skipped: newer writers may add fields.
    if (err)
      return field_error(key, std::string{"has the wrong type: "} + simdjson::error_message(err));
  }
  if (!has_symbol) return field_error("symbol", "is missing");
  return {};
}

}  // namespace mib::json
