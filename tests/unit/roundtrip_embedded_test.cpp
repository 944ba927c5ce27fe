// The vertical slice on the embedded broker: keyed records with headers, produced and
// consumed back in a group, each once and in partition order.
#include <gtest/gtest.h>

#include "mib/error.hpp"
#include "mib/kafka/embedded_cluster.hpp"
#include "support/roundtrip.hpp"

TEST(EmbeddedRoundtrip, KeyedRecordsArriveOnceInPartitionOrder) {
  mib::EmbeddedCluster cluster{3};
  EXPECT_EQ(cluster.broker_count(), 3);
  cluster.create_topic("roundtrip", 4);
  mib::test::expect_roundtrip(cluster.bootstrap_servers(), "roundtrip", 2000, 17);
}

TEST(EmbeddedCluster, RejectsZeroBrokers) {
  EXPECT_THROW(mib::EmbeddedCluster(0), mib::Exception);
}

TEST(EmbeddedCluster, BootstrapListsEveryBroker) {
  mib::EmbeddedCluster cluster{2};
  const std::string& bootstrap = cluster.bootstrap_servers();
  EXPECT_EQ(std::count(bootstrap.begin(), bootstrap.end(), ','), 1) << bootstrap;
}
