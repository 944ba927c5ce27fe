#include "kafka/certificate_check.hpp"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <utility>

#include "kafka/handle.hpp"
#include "kafka/x509_text.hpp"

namespace mib::kafka {
namespace {

// (handle, broker) -> the last refusal: a few entries per handle that failed a handshake,
// removed with the handle; cleared whole past a bound, as a stale one is only overwritten.
std::mutex refusals_mutex;
std::map<std::pair<const rd_kafka_t*, std::string>, std::string, std::less<>> refusals;

std::string host_of(std::string_view broker) {
  return std::string{broker.substr(0, broker.rfind(':'))};
}

std::string explain(std::string_view broker, int error, int depth, const X509* certificate) {
  std::string what =
      depth == 0 ? "the broker's certificate" : "a CA certificate of the broker's chain";
  if (certificate) {
    what += " (" + x509_name_text(X509_get_subject_name(certificate)) + ", issued by " +
            x509_name_text(X509_get_issuer_name(certificate)) + ")";
  }
  switch (error) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      what += " does not name the host " + host_of(broker) +
              "; security.ssl.verify_hostname = false skips this check";
      break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      what +=
          " is not signed by a CA this client trusts (security.ssl.ca_file, or the system's "
          "CAs when it is unset)";
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      what += certificate ? " expired on " + x509_time_text(X509_get0_notAfter(certificate))
                          : std::string{" has expired"};
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      what += certificate
                  ? " is not valid before " + x509_time_text(X509_get0_notBefore(certificate))
                  : std::string{" is not valid yet"};
      break;
    default: what += " was refused"; break;
  }
  return what + " (OpenSSL: " + X509_verify_cert_error_string(error) + ")";
}

// OpenSSL has verified one certificate of the chain; its verdict stands.
int on_verify(rd_kafka_t* rk, const char* broker, int32_t, int* x509_error, int depth,
              const char* der, size_t size, char* errstr, size_t errstr_size, void*) {
  if (*x509_error == X509_V_OK) return 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(der);
  const Owned<X509, X509_free> certificate{d2i_X509(nullptr, &bytes, static_cast<long>(size))};
  std::string why = explain(broker, *x509_error, depth, certificate.get());
  std::snprintf(errstr, errstr_size, "%s", why.c_str());
  const std::lock_guard lock{refusals_mutex};
  if (refusals.size() >= 256) refusals.clear();
  refusals[{rk, broker}] = std::move(why);
  return 0;
}

}  // namespace

void explain_certificate_refusals(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_ssl_cert_verify_cb(conf, &on_verify);
}

std::string certificate_refusal(const rd_kafka_t* rk, std::string_view broker) {
  const std::lock_guard lock{refusals_mutex};
  const auto it = refusals.find(std::pair{rk, std::string{broker}});
  return it == refusals.end() ? std::string{} : it->second;
}

void forget_certificate_refusals(const rd_kafka_t* rk) {
  const std::lock_guard lock{refusals_mutex};
  std::erase_if(refusals, [rk](const auto& entry) { return entry.first.first == rk; });
}

}  // namespace mib::kafka
