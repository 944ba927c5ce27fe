// The cluster (id, controller, brokers with racks), and the calls a librdkafka may lack.
#include <librdkafka/rdkafka.h>

#include "admin/admin_impl.hpp"
#include "mib/version.hpp"

namespace mib {
namespace admin {

Error needs_librdkafka(int version, std::string_view needed, std::string_view what) {
  if (rd_kafka_version() >= version && RD_KAFKA_VERSION >= version) return {};
  return Error{errc::unsupported, std::string{what} + " needs librdkafka " + std::string{needed} +
                                      " or newer; this build has " +
                                      std::string{librdkafka_version()}};
}

}  // namespace admin

ClusterDescription Admin::describe_cluster() const {
  // librdkafka 2.0.2 has no DescribeCluster (2.3): metadata gives the same brokers,
  // controller and id, and each broker's own config its rack.
  ClusterDescription out;
  {
    const auto md = impl_->metadata(false);
    for (int i = 0; i < md->broker_cnt; ++i) {
      out.brokers.push_back({{md->brokers[i].id, md->brokers[i].host, md->brokers[i].port}, {}});
    }
  }
  if (char* id = rd_kafka_clusterid(impl_->rk(), kafka::timeout_ms(impl_->timeout()))) {
    out.cluster_id = id;
    rd_kafka_mem_free(impl_->rk(), id);
  }
  out.controller = rd_kafka_controllerid(impl_->rk(), kafka::timeout_ms(impl_->timeout()));
  for (auto& broker : out.brokers) {
    // A broker that does not tell (a principal without DescribeConfigs, a slow broker)
    // leaves its rack unknown rather than failing the whole description.
    try {
      const auto configs = describe_configs(ConfigResource::broker(broker.id));
      if (const ConfigEntry* rack = find_config(configs, "broker.rack"); rack && rack->value) {
        broker.rack = *rack->value;
      }
    } catch (const Exception&) {
    }
  }
  std::sort(out.brokers.begin(), out.brokers.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void Admin::set_scram_credential(const std::string& user, ScramMechanism, const Secret&,
                                 int) const {
  return impl_->audited("set_scram_credential", "user " + user, [&] {
    // AlterUserScramCredentials came with librdkafka 2.2.0 (0x020200ff); Debian 12 has 2.0.2.
    if (Error err = admin::needs_librdkafka(
            0x020200ff, "2.2.0", "setting the SCRAM credential of user '" + user + "'")) {
      throw Exception{std::move(err)};
    }
    throw Exception{
        Error{errc::unsupported,
              "setting SCRAM credentials is not built into this version of the library"}};
  });
}

}  // namespace mib
