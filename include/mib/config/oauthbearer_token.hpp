// mib::OAuthBearerToken: what an application's token provider hands to SASL/OAUTHBEARER.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mib/config/secret.hpp"

namespace mib {

struct OAuthBearerToken {
  Secret value{};                                   // the token itself (a JWT); never logged
  std::chrono::system_clock::time_point expires{};  // asked again at 80% of its life
  std::string principal{};                          // who the token says the client is
  std::vector<std::pair<std::string, std::string>> extensions{};  // SASL extensions, if any
};

// Called on librdkafka's background thread when a token is first needed and again before
// the last one expires. A throw is reported as the login's failure (its what()), and
// librdkafka asks again about ten seconds later.
using OAuthBearerTokenProvider = std::function<OAuthBearerToken()>;

}  // namespace mib
