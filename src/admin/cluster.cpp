// The cluster (id, controller, brokers with racks), and SCRAM users.
#include <librdkafka/rdkafka.h>

#include "admin/admin_impl.hpp"

namespace mib {

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

namespace {

rd_kafka_ScramMechanism_t scram_kind(Admin::ScramMechanism mechanism) {
  return mechanism == Admin::ScramMechanism::sha256 ? RD_KAFKA_SCRAM_MECHANISM_SHA_256
                                                    : RD_KAFKA_SCRAM_MECHANISM_SHA_512;
}

}  // namespace

void Admin::set_scram_credential(const std::string& user, ScramMechanism mechanism,
                                 const Secret& password, int iterations) const {
  return impl_->audited("set_scram_credential", "user " + user, [&] {
    // No salt given: librdkafka draws a random one. The password goes only to the broker.
    const auto& text = password.reveal();
    impl_->alter_scram(
        rd_kafka_UserScramCredentialUpsertion_new(
            user.c_str(), scram_kind(mechanism), iterations,
            reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0),
        "set the SCRAM credential of user '" + user + "'");
  });
}

void Admin::delete_scram_credential(const std::string& user, ScramMechanism mechanism) const {
  return impl_->audited("delete_scram_credential", "user " + user, [&] {
    impl_->alter_scram(
        rd_kafka_UserScramCredentialDeletion_new(user.c_str(), scram_kind(mechanism)),
        "delete the SCRAM credential of user '" + user + "'");
  });
}

void Admin::Impl::alter_scram(rd_kafka_UserScramCredentialAlteration_t* alteration,
                              const std::string& what) const {
  const admin::Owned<rd_kafka_UserScramCredentialAlteration_t,
                     rd_kafka_UserScramCredentialAlteration_destroy>
      owned{alteration};
  const auto opts = options(RD_KAFKA_ADMIN_OP_ALTERUSERSCRAMCREDENTIALS);
  rd_kafka_UserScramCredentialAlteration_t* alterations[] = {owned.get()};
  const auto event = call(what, [&](rd_kafka_queue_t* queue) {
    rd_kafka_AlterUserScramCredentials(rk(), alterations, 1, opts.get(), queue);
  });
  std::size_t count = 0;
  const auto* const* responses = rd_kafka_AlterUserScramCredentials_result_responses(
      rd_kafka_event_AlterUserScramCredentials_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    admin::check(rd_kafka_AlterUserScramCredentials_result_response_error(responses[i]), what);
  }
}

}  // namespace mib
