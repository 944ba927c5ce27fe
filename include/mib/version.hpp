// The version of this library, and of the librdkafka it runs on (which may be newer than
// the one it was built with).
#pragma once

#include <string_view>

namespace mib {

std::string_view version() noexcept;             // "0.1.0"
std::string_view librdkafka_version() noexcept;  // "2.0.2": the library linked at run time

}  // namespace mib
