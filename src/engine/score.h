// Score: the 0-100 PQA score of an account at an evaluation (SPEC 3.4 and 3.7
// rules 19-21): firmographic criteria on account traits, usage points per
// trigger class with an active trigger, buying-committee criteria on users and
// metrics, each part capped. Score() is the hot path and allocates nothing;
// Evidence() renders what it found when an account's view is read. A Scorer
// keeps caches: one thread at a time.
#pragma once

#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/account_state.h"
#include "engine/compiled_rules.h"
#include "engine/title_match.h"

namespace headroom {

class UserDirectory;

// The highest score any account can reach under `config` (every criterion
// with positive points met, every configured trigger class active, each part
// capped). Below both routing thresholds no signal, hence no deadline, can
// exist (the backtest relies on it).
double MaxScore(const Config& config);

class Scorer {
 public:
  explicit Scorer(const CompiledRules& rules);

  // Fills account.firmographic_holds and account.committee_values.
  // `active_classes[c]`: some trigger of class c is active.
  // `traits_version` changes whenever a trait some committee criterion reads
  // (user_traits_read()) changes value for any user.
  // `users` is the directory the account's users refer to.
  ScoreParts Score(AccountState& account, TimeMs t, const bool active_classes[3],
                   UserDirectory& users, uint64_t traits_version);

  // The latest first day, over the criteria that read users' last event day
  // (distinct_user_trait), of their window on `today`; the lowest Day when no
  // criterion does. A user whose last event day is >= this is in every such
  // window, so moving that day later changes no committee value.
  Day LatestUserWindowStart(Day today);

  // The user traits the committee criteria read: "title" (new senior users)
  // and each distinct_user_trait's trait. A change to any other user trait
  // leaves every committee value as it was.
  const std::vector<std::string>& user_traits_read() const { return user_traits_read_; }
  // Forgets what the criteria made of the user's traits (the user with this
  // directory ordinal changed a trait of user_traits_read()).
  void UserTraitsChanged(uint32_t ordinal);

  // {firmographic: [...], usage: [...], committee: [...]} for the account's
  // last evaluation at t.
  nlohmann::json Evidence(const AccountState& account, const ScoreParts& parts, TimeMs t) const;

 private:
  // Whether the user's current title matches criterion i's words.
  bool IsSenior(UserDirectory& users, uint32_t ordinal, size_t criterion);
  // The interned id of the user's value of committee criterion i's trait, -1
  // when absent or null. Equal values (Value ==) get equal ids.
  int32_t TraitId(UserDirectory& users, uint32_t ordinal, size_t criterion);
  // The cache slot of (criterion, user): kUnknown until found.
  static constexpr int32_t kUnknown = std::numeric_limits<int32_t>::min();
  int32_t& Cached(size_t criterion, uint32_t ordinal);

  const CompiledRules& rules_;
  std::vector<TitleMatcher> senior_matchers_;  // per committee criterion (empty if unused)
  // Per user criterion, by directory ordinal: IsSenior (0 or 1) or TraitId.
  // Dense arrays, so a recount reads no user record it has read before.
  std::vector<std::vector<int32_t>> user_cache_;
  std::vector<std::string> user_traits_read_;
  // distinct_user_trait: every trait value seen -> its id, and a scratch
  // "seen in this count" stamp per id.
  std::unordered_map<Value, int32_t, ValueHash> trait_ids_;
  std::vector<uint64_t> id_stamp_;
  uint64_t stamp_ = 0;
  // LatestUserWindowStart's last answer and its day.
  Day latest_start_day_ = std::numeric_limits<Day>::min();
  Day latest_start_ = std::numeric_limits<Day>::min();
};

// Firmographic predicate on one trait value (exposed for tests).
bool FirmographicHolds(const FirmographicCriterion& c, const Value* trait, TimeMs t);

}  // namespace headroom
