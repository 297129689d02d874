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

namespace {
// An owner field as the views read it: an empty id is none.
std::optional<std::string> NonEmpty(const std::optional<std::string>& id) {
  return id && !id->empty() ? id : std::nullopt;
}
}  // namespace

// The latest record's owners are the last version (by (time, seq)).
std::optional<std::string> AccountState::Ae() const {
  return owner_versions.empty() ? std::nullopt : NonEmpty(owner_versions.back().rec.ae);
}

std::optional<std::string> AccountState::CsmAt(TimeMs t) const {
  const AccountOwners* found = nullptr;
  for (const auto& v : owner_versions) {
    if (v.time > t) break;
    found = &v.rec;
  }
  return found ? NonEmpty(found->csm) : std::nullopt;
}

std::optional<std::string> AccountState::Csm() const {
  return owner_versions.empty() ? std::nullopt : NonEmpty(owner_versions.back().rec.csm);
}

const AccountState::Rare& AccountState::RareOrNone() const {
  static const Rare kNone;
  return rare ? *rare : kNone;
}

}  // namespace headroom
