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

// The latest record's owners are the last version (by (time, seq)).
std::optional<std::string> AccountState::Ae() const {
  if (owner_versions.empty()) return std::nullopt;
  const std::optional<std::string>& ae = owner_versions.back().rec.ae;
  if (!ae || ae->empty()) return std::nullopt;
  return ae;
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
  if (owner_versions.empty()) return std::nullopt;
  const std::optional<std::string>& csm = owner_versions.back().rec.csm;
  if (!csm || csm->empty()) return std::nullopt;
  return csm;
}

}  // namespace headroom
