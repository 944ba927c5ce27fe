// Internal: SASL/OAUTHBEARER tokens for a handle. librdkafka asks for one through a
// refresh callback on the handle's main queue, which nothing serves on a consumer, and
// before a first token no request gets out. So every OAUTHBEARER handle gets a SASL queue
// of its own, served by librdkafka's background thread: the built-in unsecured-JWT and
// OIDC handlers then run there, as does an application's token provider.
#pragma once

#include <librdkafka/rdkafka.h>

#include "mib/config/oauthbearer_token.hpp"

namespace mib::kafka {

// Before rd_kafka_new: a SASL queue for an OAUTHBEARER conf, and the refresh callback
// that calls `provider` when there is one. True when the handle needs start_tokens().
bool prepare_tokens(rd_kafka_conf_t* conf, bool has_provider);
// After it: `provider` (may be empty) answers for `rk`, and the background thread starts
// serving the SASL queue. Throws naming the cause if librdkafka refuses.
void start_tokens(rd_kafka_t* rk, OAuthBearerTokenProvider provider);
// Before rd_kafka_destroy: `rk` has no provider any more.
void forget_tokens(const rd_kafka_t* rk);

}  // namespace mib::kafka
