// librdkafka properties: the common currency between configuration and the handles.
#pragma once

#include <map>
#include <string>

namespace mib {

// librdkafka configuration properties by name, as in librdkafka's CONFIGURATION.md
// ("bootstrap.servers", "linger.ms", ...). mib::Config maps to these; a handle checks
// every entry with librdkafka when it is made and reports all the bad ones at once.
using KafkaProperties = std::map<std::string, std::string, std::less<>>;

}  // namespace mib
