// Lines from a file descriptor (standard input) that stop at once on Ctrl-C: std::getline
// would block in read(), which libstdc++ restarts after the signal.
#pragma once

#include <string>
#include <string_view>

namespace mib::cli {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // The next line without its '\n' (a last line without one counts); false at the end of
  // input, on a read error (error() says which) or once interrupted() holds. The view is
  // valid until the next call.
  bool next(std::string_view& line);
  const std::string& error() const { return error_; }

 private:
  bool fill();  // reads more; false at the end, on error or interrupt

  int fd_;
  std::string buffer_;
  std::size_t start_ = 0;  // where the unread part of buffer_ begins
  bool at_end_ = false;
  std::string error_;
};

}  // namespace mib::cli
