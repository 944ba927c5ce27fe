#include "interrupt.hpp"

#include <atomic>
#include <csignal>

namespace mib::cli {
namespace {

std::atomic<int> count{0};
std::atomic<int> last_signal{SIGINT};

void on_signal(int signal) {
  last_signal.store(signal, std::memory_order_relaxed);
  count.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void watch_interrupts() {
  count.store(0);
  struct sigaction action {};
  action.sa_handler = &on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int interrupts() {
  return count.load(std::memory_order_relaxed);
}

int interrupted_status() {
  return 128 + last_signal.load(std::memory_order_relaxed);
}

}  // namespace mib::cli
