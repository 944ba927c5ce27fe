// A consume-transform-produce job for processor_test: copies every record of one topic to
// another through a Processor with Guarantee::exactly_once. With a kill count it sends
// that many copies, makes sure they reached the broker inside their open transaction,
// and kills itself before the transaction can commit: a crash between produce and commit.
//
//   exactly_once_copier BROKERS INPUT OUTPUT GROUP TRANSACTIONAL_ID KILL_AFTER
//
// KILL_AFTER 0 copies until the input has been quiet for 5 s after the first record, then
// exits 0.
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "mib/mib.hpp"

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s BROKERS INPUT OUTPUT GROUP TRANSACTIONAL_ID KILL_AFTER\n",
                 argv[0]);
    return 2;
  }
  const std::string brokers = argv[1], input = argv[2], output = argv[3];
  const long kill_after = std::stol(argv[6]);

  mib::Consumer consumer{{{"bootstrap.servers", brokers},
                          {"group.id", argv[4]},
                          {"enable.auto.commit", "false"},
                          {"auto.offset.reset", "earliest"},
                          {"isolation.level", "read_committed"},
                          // The killed member must not hold its partitions for long.
                          {"session.timeout.ms", "6000"}},
                         {.topics = {input}, .max_poll_records = 50}};
  mib::Producer producer{{{"bootstrap.servers", brokers}, {"transactional.id", argv[5]}}};
  mib::Processor processor{consumer, producer, {.guarantee = mib::Guarantee::exactly_once}};

  long copied = 0;
  processor.run([&](const mib::Message& m) {
    producer.send({.topic = output, .key = m.key(), .value = m.value()}, nullptr);
    if (++copied == kill_after) {
      // The copies are in the log, their transaction open: die before it commits.
      (void)producer.flush(10s);
      std::fprintf(stderr, "killing myself after %ld copies\n", copied);
      std::raise(SIGKILL);
    }
  });

  // Joining the group may take a while (a killed predecessor holds it until its session
  // expires), so the quiet time counts from the first record on.
  const auto started = std::chrono::steady_clock::now();
  auto quiet_since = started;
  std::uint64_t seen = 0;
  while (processor.running() && std::chrono::steady_clock::now() - started < 90s) {
    std::this_thread::sleep_for(100ms);
    const std::uint64_t now = processor.metrics().records_processed_total;
    if (now != seen) {
      seen = now;
      quiet_since = std::chrono::steady_clock::now();
    }
    if (seen > 0 && std::chrono::steady_clock::now() - quiet_since >= 5s) break;
  }
  processor.stop();
  if (const mib::Error e = processor.wait()) {
    std::fprintf(stderr, "processor stopped: %s\n", e.message().c_str());
    return 1;
  }
  const mib::ProcessorMetrics m = processor.metrics();
  std::printf("processed %llu records in %llu committed batches, %llu aborted\n",
              static_cast<unsigned long long>(m.records_processed_total),
              static_cast<unsigned long long>(m.batches_total),
              static_cast<unsigned long long>(m.transactions_aborted_total));
  return 0;
}
