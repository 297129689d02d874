// PartitionedEngine: several Engines, each owning the accounts whose id hashes
// to its share, fed from one attributed input stream. Together they produce
// exactly what one Engine produces (SPEC 7, "partitioning by account"):
// account inputs go to the owner; global inputs (owner and release records,
// aliases, unattributed events, and the user traits of an identify) go to all;
// every other engine only advances its clock to the input's time.
// Attribution must be done before the split. Not thread-safe.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engine/engine.h"

namespace headroom {

class PartitionedEngine {
 public:
  PartitionedEngine(const Config& config, size_t partitions);

  // FNV-1a of the account id, modulo the partition count.
  size_t PartitionOf(std::string_view account_id) const;
  void Apply(const Input& input);
  Engine& partition(size_t i) { return *engines_[i]; }
  size_t size() const { return engines_.size(); }

 private:
  std::vector<std::unique_ptr<Engine>> engines_;
};

}  // namespace headroom
