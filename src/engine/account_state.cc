#include "engine/account_state.h"

#include <algorithm>

namespace headroom {

bool MergeTraits(TimedTraits& into, const TraitMap& traits, TimeMs time, uint64_t seq,
                 const std::vector<std::string>* watched) {
  bool changed = false;
  for (const auto& [key, value] : traits) {
    auto it = into.find(key);
    bool key_changed = false;
    if (it == into.end()) {
      into.emplace(key, TimedValue{value, time, seq});
      key_changed = true;
    } else if (Supersedes(time, seq, it->second.time, it->second.seq)) {
      key_changed = !(it->second.value == value);
      it->second = TimedValue{value, time, seq};
    }
    if (key_changed && !changed)
      changed = !watched || std::find(watched->begin(), watched->end(), key) != watched->end();
  }
  return changed;
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
