// scripts/kafka refuses to start on ports another program holds, naming the port and the
// holder, instead of reporting "running" while the tests talk to the other program.
// Uses MIB_KAFKA_PORT_BASE so that it never disturbs the test broker on the default ports.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "support/test_cluster.hpp"

namespace {

// A listening socket on 127.0.0.1, as another broker or program would hold.
class Listener {
 public:
  explicit Listener(int port) : fd_{::socket(AF_INET, SOCK_STREAM, 0)} {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = fd_ >= 0 &&
             ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
             ::listen(fd_, 4) == 0;
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  bool bound() const { return bound_; }

 private:
  int fd_;
  bool bound_ = false;
};

mib::test::CommandRun kafka_script(const std::string& args, int port_base) {
  return mib::test::run_command("MIB_KAFKA_PORT_BASE=" + std::to_string(port_base) + " " +
                                MIB_SOURCE_DIR "/scripts/kafka " + args + " 2>&1");
}

// A base whose broker and controller ports (base, base + 1) are both free now.
int free_port_base() {
  for (int base = 30000 + static_cast<int>(::getpid() % 2000) * 10; base < 60000; base += 10) {
    Listener broker{base}, controller{base + 1};
    if (broker.bound() && controller.bound()) return base;
  }
  return -1;
}

}  // namespace

TEST(KafkaScript, StartFailsNamingTheBrokerPortAnotherProgramHolds) {
  const int base = free_port_base();
  ASSERT_GT(base, 0);
  Listener other{base};
  ASSERT_TRUE(other.bound());

  const auto started = kafka_script("start", base);
  EXPECT_NE(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("port " + std::to_string(base) + " (node 1) is already in use"),
            std::string::npos)
      << started.output;
  EXPECT_EQ(started.output.find("running at"), std::string::npos) << started.output;

  const auto status = kafka_script("status", base);
  EXPECT_EQ(status.exit_code, 1) << status.output;
  EXPECT_NE(status.output.find("node 1: stopped (port " + std::to_string(base) + " is held by"),
            std::string::npos)
      << status.output;
}

TEST(KafkaScript, StartFailsNamingTheControllerPortAnotherProgramHolds) {
  const int base = free_port_base();
  ASSERT_GT(base, 0);
  Listener other{base + 1};
  ASSERT_TRUE(other.bound());

  const auto started = kafka_script("start", base);
  EXPECT_NE(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("port " + std::to_string(base + 1) + " (node 1) is already in use"),
            std::string::npos)
      << started.output;
}

TEST(KafkaScript, RefusesAPortBaseOutOfRange) {
  const auto started = kafka_script("status", 80);
  EXPECT_NE(started.exit_code, 0);
  EXPECT_NE(started.output.find("MIB_KAFKA_PORT_BASE must be a port"), std::string::npos)
      << started.output;
}

TEST(KafkaScript, RefusesTheAclBrokerWithThreeBrokers) {
  const auto started = kafka_script("start --acl --brokers 3", 49092);
  EXPECT_NE(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("--acl runs a single broker with authorization; it cannot be "
                                "combined with --brokers 3"),
            std::string::npos)
      << started.output;
  EXPECT_EQ(started.output.find("running at"), std::string::npos) << started.output;
}

TEST(KafkaScript, UsageListsTheAclAndSecurityBrokers) {
  const auto usage = kafka_script("", 49092);
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
  EXPECT_NE(usage.output.find("scripts/kafka start  [--brokers 1|3|--acl|--security]"),
            std::string::npos)
      << usage.output;
  EXPECT_NE(usage.output.find("127.0.0.1:9492"), std::string::npos) << usage.output;
  EXPECT_NE(usage.output.find("127.0.0.1:9592"), std::string::npos) << usage.output;
  EXPECT_NE(usage.output.find("build/kafka/secure/"), std::string::npos) << usage.output;
}

TEST(KafkaScript, SecurityWithThreeBrokersOrAclIsRefusedBeforeStarting) {
  for (const char* arguments : {"start --security --brokers 3", "start --security --acl"}) {
    const auto started = kafka_script(arguments, 49092);
    EXPECT_NE(started.exit_code, 0) << arguments << "\n" << started.output;
    EXPECT_NE(started.output.find("--security runs a single broker of its own"), std::string::npos)
        << started.output;
    EXPECT_EQ(started.output.find("running at"), std::string::npos) << started.output;
  }
}
