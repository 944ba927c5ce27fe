// mib::GroupMetadata: who a consumer is in its group (group id, generation, member id),
// as a value. A transactional producer commits a consume-transform-produce loop's offsets
// with it, so that the producer never needs the consumer itself.
#pragma once

#include <string>
#include <utility>

namespace mib {

class GroupMetadata {
 public:
  GroupMetadata() = default;  // none: a closed consumer, or no group

  bool empty() const noexcept { return bytes_.empty(); }
  const std::string& group_id() const noexcept { return group_id_; }

  // librdkafka's serialized form of the group metadata, which can also
  // travel to a producer in another process.
  const std::string& bytes() const noexcept { return bytes_; }
  static GroupMetadata from_bytes(std::string group_id, std::string bytes) {
    GroupMetadata metadata;
    metadata.group_id_ = std::move(group_id);
    metadata.bytes_ = std::move(bytes);
    return metadata;
  }

 private:
  std::string group_id_;
  std::string bytes_;
};

}  // namespace mib
