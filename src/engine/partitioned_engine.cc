#include "engine/partitioned_engine.h"

namespace headroom {

PartitionedEngine::PartitionedEngine(const Config& config, size_t partitions) {
  for (size_t i = 0; i < partitions; ++i) engines_.push_back(std::make_unique<Engine>(config));
}

size_t PartitionedEngine::PartitionOf(std::string_view account_id) const {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : account_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<size_t>(h % engines_.size());
}

void PartitionedEngine::Apply(const Input& input) {
  if (input.account_id.empty()) {
    for (auto& e : engines_) e->Apply(input);
    return;
  }
  const size_t owner = PartitionOf(input.account_id);
  const bool identify = input.type == MessageType::kIdentify;
  for (size_t i = 0; i < engines_.size(); ++i) {
    if (i == owner) {
      engines_[i]->Apply(input);
    } else if (identify) {
      Input global = input;  // user traits are global to the user (rule 1)
      global.account_id.clear();
      engines_[i]->Apply(global);
    } else {
      engines_[i]->AdvanceTo(input.time);
    }
  }
}

}  // namespace headroom
