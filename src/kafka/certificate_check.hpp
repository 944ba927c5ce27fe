// Internal: why a broker's TLS certificate was refused, in words. librdkafka reports only
// "certificate verify failed" with a hint about ssl.ca.location, even when the certificate
// names another host or has expired; OpenSSL's own verdict, kept here per handle and
// broker by a verification callback, says which.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <string_view>

namespace mib::kafka {

// Installs the callback on `conf`; it keeps OpenSSL's decision and notes each refusal.
void explain_certificate_refusals(rd_kafka_conf_t* conf);

// The last refusal of the certificate of `broker` ("127.0.0.1:9093") seen by `rk`, as
// "the broker's certificate (/CN=...) does not name the host 127.0.0.1 (OpenSSL: ...)";
// empty if there was none.
std::string certificate_refusal(const rd_kafka_t* rk, std::string_view broker);

// Before rd_kafka_destroy: what was noted for `rk` goes.
void forget_certificate_refusals(const rd_kafka_t* rk);

}  // namespace mib::kafka
