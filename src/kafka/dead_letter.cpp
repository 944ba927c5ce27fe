#include "kafka/dead_letter.hpp"

#include "mib/message.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib::dead_letter {

void append_headers(Headers& headers, const Reason& reason) {
  std::string when;
  rfc3339::format(std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()), when);
  headers.emplace_back("mib.dlq.original.topic", reason.topic);
  headers.emplace_back("mib.dlq.original.partition", std::to_string(reason.partition));
  if (reason.offset >= 0) {
    headers.emplace_back("mib.dlq.original.offset", std::to_string(reason.offset));
  }
  if (!reason.group.empty()) headers.emplace_back("mib.dlq.group", reason.group);
  headers.emplace_back("mib.dlq.error.code", reason.error.name());
  headers.emplace_back("mib.dlq.error.message", reason.error.message());
  headers.emplace_back("mib.dlq.attempts", std::to_string(reason.attempts));
  headers.emplace_back("mib.dlq.time", std::move(when));
}

}  // namespace mib::dead_letter
