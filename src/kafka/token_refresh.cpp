#include "kafka/token_refresh.hpp"

#include <array>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kafka/handle.hpp"
#include "mib/error.hpp"

namespace mib::kafka {
namespace {

// Each handle's provider, found by the handle the callback is given (the handles' own
// opaques are of four different types).
std::mutex providers_mutex;
std::map<const rd_kafka_t*, OAuthBearerTokenProvider> providers;

OAuthBearerTokenProvider provider_of(const rd_kafka_t* rk) {
  const std::lock_guard lock{providers_mutex};
  const auto it = providers.find(rk);
  return it == providers.end() ? OAuthBearerTokenProvider{} : it->second;
}

void give_token(rd_kafka_t* rk, const OAuthBearerToken& token) {
  std::vector<const char*> extensions;
  for (const auto& [key, value] : token.extensions) {
    extensions.push_back(key.c_str());
    extensions.push_back(value.c_str());
  }
  const auto expires_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(token.expires.time_since_epoch())
          .count();
  std::array<char, 512> reason{};
  if (rd_kafka_oauthbearer_set_token(rk, token.value.reveal().c_str(), expires_ms,
                                     token.principal.c_str(), extensions.data(), extensions.size(),
                                     reason.data(), reason.size()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const std::string why = "the token provider's token was refused: " + std::string{reason.data()};
    rd_kafka_oauthbearer_set_token_failure(rk, why.c_str());
  }
}

// librdkafka's background thread, at the first need and at 80% of a token's life.
void on_refresh(rd_kafka_t* rk, const char*, void*) {
  const OAuthBearerTokenProvider provider = provider_of(rk);
  if (!provider) {
    rd_kafka_oauthbearer_set_token_failure(rk, "no token provider (the handle is closing)");
    return;
  }
  try {
    give_token(rk, provider());
  } catch (const std::exception& e) {
    const std::string why = std::string{"the token provider failed: "} + e.what();
    rd_kafka_oauthbearer_set_token_failure(rk, why.c_str());
  } catch (...) {
    rd_kafka_oauthbearer_set_token_failure(rk, "the token provider failed: an unknown exception");
  }
}

}  // namespace

bool prepare_tokens(rd_kafka_conf_t* conf, bool has_provider) {
  const bool oauthbearer = property_value(conf, "sasl.mechanisms").value_or("") == "OAUTHBEARER";
  if (has_provider && !oauthbearer) {
    throw Exception{Error{errc::invalid_argument,
                          "an OAUTHBEARER token provider is given, but sasl.mechanisms is not "
                          "OAUTHBEARER (security.sasl.mechanism = \"OAuthBearer\")"}};
  }
  if (!oauthbearer) return false;
  if (has_provider) rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, &on_refresh);
  rd_kafka_conf_enable_sasl_queue(conf, 1);
  return true;
}

void start_tokens(rd_kafka_t* rk, OAuthBearerTokenProvider provider) {
  if (provider) {
    const std::lock_guard lock{providers_mutex};
    providers[rk] = std::move(provider);
  }
  if (rd_kafka_error_t* error = rd_kafka_sasl_background_callbacks_enable(rk)) {
    forget_tokens(rk);
    throw Exception{take_error(error).with_context("OAUTHBEARER token refresh")};
  }
}

void forget_tokens(const rd_kafka_t* rk) {
  const std::lock_guard lock{providers_mutex};
  providers.erase(rk);
}

}  // namespace mib::kafka
