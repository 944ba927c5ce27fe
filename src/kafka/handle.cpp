#include <array>
#include <string>

#include "kafka/certificate_check.hpp"
#include "kafka/handle.hpp"
#include "kafka/token_refresh.hpp"
#include "mib/log.hpp"

namespace mib::kafka {
namespace {

// librdkafka's log lines, through the process's one logger instead of raw to stderr.
void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  std::string_view message{text};
  if (message.starts_with("[thrd:")) {  // which internal thread: noise to a reader
    if (const auto end = message.find("]: "); end != std::string_view::npos) {
      message.remove_prefix(end + 3);
    }
  }
  const log::Level severity = level <= 3   ? log::Level::error
                              : level == 4 ? log::Level::warning
                              : level <= 6 ? log::Level::info
                                           : log::Level::debug;
  log::write({.level = severity,
              .source = "librdkafka",
              .client = rd_kafka_name(rk),
              .facility = facility,
              .message = message});
}

}  // namespace

std::vector<PropertyProblem> set_properties(rd_kafka_conf_t* conf,
                                            const KafkaProperties& properties) {
  std::vector<PropertyProblem> problems;
  for (const auto& [name, value] : properties) {
    std::array<char, 512> reason{};
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), reason.data(), reason.size()) !=
        RD_KAFKA_CONF_OK) {
      problems.push_back({name, value, reason.data()});
    }
  }
  return problems;
}

std::optional<std::string> property_value(const rd_kafka_conf_t* conf, const char* name) {
  std::size_t size = 0;
  if (rd_kafka_conf_get(conf, name, nullptr, &size) != RD_KAFKA_CONF_OK) return std::nullopt;
  std::string value(size, '\0');  // size counts the terminating NUL
  if (rd_kafka_conf_get(conf, name, value.data(), &size) != RD_KAFKA_CONF_OK) return std::nullopt;
  value.resize(size > 0 ? size - 1 : 0);
  return value;
}

std::vector<PropertyProblem> property_problems(const KafkaProperties& properties) {
  const ConfHandle scratch{rd_kafka_conf_new()};
  return set_properties(scratch.get(), properties);
}

ConfHandle make_conf(const KafkaProperties& properties) {
  ConfHandle conf{rd_kafka_conf_new()};
  rd_kafka_conf_set_log_cb(conf.get(), &on_log);
  const auto problems = set_properties(conf.get(), properties);
  if (!problems.empty()) {
    std::string text = std::to_string(problems.size()) + " invalid librdkafka propert" +
                       (problems.size() == 1 ? "y:" : "ies:");
    for (const auto& problem : problems) {
      text += "\n  librdkafka property '" + problem.name + "': " + problem.reason;
    }
    throw Exception{Error{errc::invalid_argument, std::move(text)}};
  }
  const auto protocol = property_value(conf.get(), "security.protocol").value_or("");
  if ((protocol == "ssl" || protocol == "sasl_ssl") &&
      property_value(conf.get(), "enable.ssl.certificate.verification").value_or("") == "true") {
    explain_certificate_refusals(conf.get());
  }
  return conf;
}

void destroy_handle(rd_kafka_t* rk) {
  forget_tokens(rk);
  forget_certificate_refusals(rk);
  rd_kafka_destroy(rk);
}

KafkaHandle make_handle(rd_kafka_type_t type, ConfHandle conf, OAuthBearerTokenProvider tokens) {
  const bool served_tokens = prepare_tokens(conf.get(), static_cast<bool>(tokens));
  std::array<char, 512> reason{};
  // On success rd_kafka_new() takes the configuration; on failure it is still ours.
  KafkaHandle handle{rd_kafka_new(type, conf.get(), reason.data(), reason.size())};
  if (!handle) {
    throw Exception{
        Error{errc::invalid_argument, std::string{"cannot create the librdkafka "} +
                                          (type == RD_KAFKA_PRODUCER ? "producer" : "consumer") +
                                          ": " + reason.data()}};
  }
  conf.release();
  if (served_tokens) start_tokens(handle.get(), std::move(tokens));
  return handle;
}

}  // namespace mib::kafka
