// Aligned columns for people, as rpk and kafka-consumer-groups.sh print them: a heading
// row in capitals, then one row per item, columns two spaces apart.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mib::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headings) : rows_{std::move(headings)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::size_t size() const { return rows_.size() - 1; }
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace mib::cli
