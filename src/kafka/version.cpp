#include "mib/version.hpp"

#include <librdkafka/rdkafka.h>

namespace mib {

std::string_view version() noexcept {
  return MIB_VERSION;
}

std::string_view librdkafka_version() noexcept {
  return rd_kafka_version_str();
}

}  // namespace mib
