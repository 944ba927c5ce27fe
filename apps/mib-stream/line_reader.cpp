#include "line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "interrupt.hpp"

namespace mib::cli {

bool LineReader::next(std::string_view& line) {
  for (;;) {
    if (interrupted()) return false;
    const auto newline = buffer_.find('\n', start_);
    if (newline != std::string::npos) {
      line = std::string_view{buffer_}.substr(start_, newline - start_);
      start_ = newline + 1;
      return true;
    }
    if (at_end_ || !fill()) {
      if (start_ >= buffer_.size() || interrupted()) return false;
      line = std::string_view{buffer_}.substr(start_);  // the last line, without '\n'
      start_ = buffer_.size();
      return true;
    }
  }
}

bool LineReader::fill() {
  buffer_.erase(0, start_);  // keep only the unfinished line
  start_ = 0;
  constexpr std::size_t chunk = 64 * 1024;
  for (;;) {
    if (interrupted()) return false;
    pollfd input{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&input, 1, 200) == 0) continue;  // wake up now and then to see Ctrl-C
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + chunk);
    const ssize_t got = ::read(fd_, buffer_.data() + old_size, chunk);
    buffer_.resize(old_size + static_cast<std::size_t>(got > 0 ? got : 0));
    if (got > 0) return true;
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) error_ = std::string{"reading standard input: "} + std::strerror(errno);
    at_end_ = true;
    return false;
  }
}

}  // namespace mib::cli
