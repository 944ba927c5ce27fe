// SASL/GSSAPI (Kerberos) on the broker of `scripts/kafka start --security` (issue 16), with
// its own MIT KDC on 127.0.0.1 (realm MIB.TEST): librdkafka logs in with the client's
// keytab through Cyrus SASL, renews the ticket every sasl.kerberos.min.time.before.relogin,
// and a principal the KDC does not know is refused within seconds, named.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mib/log.hpp"
#include "mib/mib.hpp"
#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;
using mib::test::expect_refused;
using mib::test::expect_roundtrip;
using mib::test::secure_config;

namespace {

// Kerberos reads its realm and ticket cache from the environment, as a user's shell would
// give them; set before main(), before any thread starts.
const bool kerberos_environment = [] {
  const std::string kdc = mib::test::secure_dir + "/kdc";
  ::setenv("KRB5_CONFIG", (kdc + "/krb5.conf").c_str(), 1);
  // A ticket cache of this process's own: a ticket left by another test would log in
  // whatever principal a test names.
  ::setenv("KRB5CCNAME",
           ("FILE:" + kdc + "/client-" + std::to_string(::getpid()) + ".ccache").c_str(), 1);
  return true;
}();

}  // namespace

TEST(SecureBrokerGssapi, AKeytabLoginRoundTripsThroughTheReadyConfig) {
  ASSERT_TRUE(kerberos_environment);
  expect_roundtrip(secure_config("sasl-gssapi"), mib::test::unique_name("secure-gssapi"));
}

TEST(SecureBrokerGssapi, TheTicketIsRenewedEveryMinTimeBeforeRelogin) {
  std::mutex mutex;
  std::vector<std::string> refreshes;
  mib::log::set_level(mib::LogLevel::debug);
  mib::log::set_sink([&](const mib::log::Record& record) {
    if (record.facility == "SASLREFRESH") {
      const std::lock_guard lock{mutex};
      refreshes.emplace_back(record.message);
    }
  });
  {
    mib::Config config = secure_config("sasl-gssapi");
    config.set("security.sasl.kerberos_min_time_before_relogin", "1500ms");
    config.librdkafka.all["debug"] = "security";
    mib::Producer producer{config};
    const std::string topic = mib::test::unique_name("secure-relogin");
    for (int i = 0; i < 6; ++i) {
      const auto report = producer.send({.topic = topic, .key = "k", .value = "v"}).get();
      ASSERT_TRUE(report.ok()) << report.error.message();
      std::this_thread::sleep_for(1s);
    }
  }
  mib::log::set_sink({});
  mib::log::set_level(mib::LogLevel::info);
  const std::lock_guard lock{mutex};
  int refreshed = 0;
  for (const auto& line : refreshes) {
    std::printf("%s\n", line.c_str());
    if (line.find("Kerberos ticket refreshed") != std::string::npos) ++refreshed;
  }
  // One at the start, then one every 1.5 s for six seconds.
  EXPECT_GE(refreshed, 3);
}

TEST(SecureBrokerGssapi, APrincipalTheKdcDoesNotKnowIsNamedWithinSeconds) {
  // An empty cache: trader's ticket from an earlier test of this process would log in.
  // (No handle, so no librdkafka thread, is alive to read the environment meanwhile.)
  ::setenv("KRB5CCNAME",
           ("FILE:" + mib::test::secure_dir + "/kdc/" + mib::test::unique_name("empty") + ".ccache")
               .c_str(),
           1);
  mib::Config config = secure_config("sasl-gssapi");
  config.set("security.sasl.kerberos_principal", "mallory@MIB.TEST");
  expect_refused(config, {"mallory@MIB.TEST"}, {});
}
