#include "engine/account_state.h"

namespace headroom {

void MergeTraits(TimedTraits& into, const TraitMap& traits, TimeMs time, uint64_t seq) {
  for (const auto& [key, value] : traits) {
    auto it = into.find(key);
    if (it == into.end()) {
      into.emplace(key, TimedValue{value, time, seq});
    } else if (Supersedes(time, seq, it->second.time, it->second.seq)) {
      it->second = TimedValue{value, time, seq};
    }
  }
}

const ContractRecord* AccountState::ContractAt(TimeMs t) const {
  const ContractRecord* found = nullptr;
  for (const auto& v : contracts) {
    if (v.time > t) break;
    found = &v.rec;
  }
  return found;
}

std::optional<std::string> AccountState::Ae() const {
  if (!record || !record->rec.owners.ae || record->rec.owners.ae->empty()) return std::nullopt;
  return record->rec.owners.ae;
}

std::optional<std::string> AccountState::CsmAt(TimeMs t) const {
  const AccountOwners* found = nullptr;
  for (const auto& v : owner_versions) {
    if (v.time > t) break;
    found = &v.rec;
  }
  if (!found || !found->csm || found->csm->empty()) return std::nullopt;
  return found->csm;
}

std::optional<std::string> AccountState::Csm() const {
  if (!record || !record->rec.owners.csm || record->rec.owners.csm->empty()) return std::nullopt;
  return record->rec.owners.csm;
}

}  // namespace headroom
