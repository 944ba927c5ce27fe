// Runs one benchmark case in a child process of its own, so that its peak memory is its
// own and nothing it leaves behind (heap, caches, threads) weighs on the next case.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace mib::bench {

// This process's peak resident memory (VmHWM), KiB; -1 when /proc says nothing.
inline long peak_rss_kib() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// Calls `run` (returning a rate, printing its own line) in a child; returns that rate,
// 0 when the child failed.
template <typename Run>
double in_child(Run run) {
  std::fflush(stdout);
  int channel[2];
  if (pipe(channel) != 0) return 0;
  const pid_t pid = fork();
  if (pid == 0) {
    const double rate = run();
    std::fflush(stdout);
    if (write(channel[1], &rate, sizeof rate) != sizeof rate) _exit(1);
    _exit(0);
  }
  double rate = 0;
  close(channel[1]);
  if (read(channel[0], &rate, sizeof rate) != sizeof rate) rate = 0;
  close(channel[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return rate;
}

}  // namespace mib::bench
