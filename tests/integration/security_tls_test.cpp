// TLS on the broker of `scripts/kafka start --security` (issue 16): mutual TLS, a client key
// with a password, SCRAM over TLS, and the certificate failures a user meets, each named
// within seconds and without the key password.
#include <gtest/gtest.h>

#include <string>

#include "mib/mib.hpp"
#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

using mib::test::expect_refused;
using mib::test::expect_roundtrip;
using mib::test::secure_config;
using mib::test::tls_dir;

namespace {

// The mutual-TLS listener's port moved to the listener with a certificate for kafka.invalid.
std::string wrong_host_address() {
  const mib::Config config = secure_config("mtls");
  const std::string& address = config.brokers.addresses.at(0);
  const auto colon = address.rfind(':');
  return address.substr(0, colon + 1) + std::to_string(std::stoi(address.substr(colon + 1)) + 2);
}

}  // namespace

TEST(SecureBrokerTls, MutualTlsRoundTripsThroughTheReadyConfig) {
  expect_roundtrip(secure_config("mtls"), mib::test::unique_name("secure-mtls"));
}

TEST(SecureBrokerTls, AClientKeyWithAPasswordRoundTrips) {
  expect_roundtrip(secure_config("mtls-key-password"), mib::test::unique_name("secure-keypw"));
}

TEST(SecureBrokerTls, ScramOverTlsRoundTrips) {
  expect_roundtrip(secure_config("sasl-ssl-scram-sha-512"), mib::test::unique_name("secure-ssl"));
}

TEST(SecureBrokerTls, ACaThatDidNotSignTheBrokerIsNamed) {
  mib::Config config = secure_config("mtls");
  config.set("security.ssl.ca_file", tls_dir + "/other-ca.pem");
  expect_refused(config,
                 {"TLS handshake failed", "/CN=127.0.0.1, issued by /CN=mib-stream test CA",
                  "is not signed by a CA this client trusts"},
                 {});
}

TEST(SecureBrokerTls, WithoutAClientCertificateTheMutualListenerRefuses) {
  mib::Config config = secure_config("mtls");
  config.set("security.ssl.cert_file", "");
  config.set("security.ssl.key_file", "");
  expect_refused(config, {"TLS handshake failed", "refused this client's certificate"}, {});
}

// The listener's certificate names kafka.invalid; the client asked for 127.0.0.1.
TEST(SecureBrokerTls, AHostnameThatDoesNotMatchIsRefusedOnlyWhenChecked) {
  mib::Config config = secure_config("mtls");
  config.set("brokers.addresses", wrong_host_address());
  expect_refused(config,
                 {"TLS handshake failed", "/CN=kafka.invalid", "does not name the host 127.0.0.1",
                  "verify_hostname = false"},
                 {});

  config.set("security.ssl.verify_hostname", "false");
  mib::Client client{config};
  const mib::Error error = client.wait_for_cluster(std::chrono::seconds{20});
  EXPECT_FALSE(error) << error.message();
}

TEST(SecureBrokerTls, AnExpiredClientCertificateIsNamedBeforeAnyConnection) {
  mib::Config config = secure_config("mtls");
  config.set("security.ssl.cert_file", tls_dir + "/expired.pem");
  config.set("security.ssl.key_file", tls_dir + "/expired.key");
  expect_refused(config, {"security.ssl.cert_file", "expired"}, {});
}

TEST(SecureBrokerTls, AWrongKeyPasswordIsNamedAndNotShown) {
  mib::Config config = secure_config("mtls-key-password");
  config.set("security.ssl.key_password", "not-the-key-secret");
  expect_refused(config, {"security.ssl.key_password"}, {"not-the-key-secret", "key-secret"});
}
