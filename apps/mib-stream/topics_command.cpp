// `mib-stream topics ensure`: the standard topics of [topics] ({prefix}.market_data,
// .orders, .trades, .events, .control) created if missing, and what differs reported.
#include <iostream>
#include <memory>

#include "admin_cli.hpp"
#include "commands.hpp"
#include "json_out.hpp"
#include "table.hpp"

namespace mib::cli {
namespace {

struct EnsureOptions {
  AdminOptions admin;
  std::optional<std::string> prefix;
  bool fix = false;
};

void ensure(const EnsureOptions& o) {
  Admin admin = connect_admin(o.admin.connection);
  if (o.prefix) {
    Config config = admin.config();
    config.set("topics.prefix", *o.prefix);
    admin = Admin{config};
  }
  const EnsureReport report = admin.ensure_topics(o.fix);
  const auto status = [](const TopicDifference& d) {
    return d.fixed                   ? std::string{"fixed"}
           : d.why_not_fixed.empty() ? std::string{"differs"}
                                     : "differs: " + d.why_not_fixed;
  };
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().key("created").begin_array();
    for (const auto& t : report.created) json.value(t);
    json.end_array().key("existing").begin_array();
    for (const auto& t : report.existing) json.value(t);
    json.end_array().key("differences").begin_array();
    for (const auto& d : report.differences) {
      json.begin_object()
          .field("topic", d.topic)
          .field("key", d.key)
          .field("wanted", d.wanted)
          .field("actual", d.actual)
          .field("fixed", d.fixed)
          .field("why_not_fixed", d.why_not_fixed)
          .end_object();
    }
    json.end_array().key("warnings").begin_array();
    for (const auto& w : report.warnings) json.value(w);
    std::cout << json.end_array().field("consistent", report.consistent()).end_object().text()
              << '\n';
    return;
  }
  for (const auto& w : report.warnings) std::cerr << "mib-stream: warning: " << w << '\n';
  for (const auto& t : report.created) std::cout << "created " << t << '\n';
  for (const auto& t : report.existing) std::cout << "exists  " << t << '\n';
  if (report.differences.empty()) return;
  std::cout << '\n';
  Table table{{"TOPIC", "KEY", "WANTED", "ACTUAL", "STATUS"}};
  for (const auto& d : report.differences)
    table.add({d.topic, d.key, d.wanted, d.actual, status(d)});
  table.print(std::cout);
  if (!o.fix && !report.consistent()) std::cout << "add --fix to change what can be changed\n";
}

}  // namespace

void add_topics(CLI::App& app) {
  auto o = std::make_shared<EnsureOptions>();
  auto* topics = app.add_subcommand("topics", "The standard topics of the configuration");
  topics->require_subcommand(1);
  auto* e = topics->add_subcommand(
      "ensure", "Create the missing standard topics; report settings that differ");
  add_admin_options(*e, o->admin);
  e->add_option("--prefix", o->prefix, "topic name prefix (default: [topics] prefix)");
  e->add_flag("--fix", o->fix, "alter differing configs and add missing partitions");
  e->callback([o] { ensure(*o); });
}

}  // namespace mib::cli
