// Score: the 0-100 PQA score of an account at an evaluation (SPEC 3.4 and 3.7
// rules 19-21): firmographic criteria on account traits, usage points per
// trigger class with an active trigger, buying-committee criteria on users and
// metrics, each part capped, with the evidence of every criterion.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/account_state.h"
#include "engine/compiled_rules.h"
#include "engine/title_match.h"

namespace headroom {

using UserDirectory = std::unordered_map<std::string, TimedTraits>;  // link key -> traits

struct ScoreResult {
  ScoreParts parts;
  nlohmann::json evidence;  // {firmographic: [...], usage: [...], committee: [...]}
};

class Scorer {
 public:
  explicit Scorer(const CompiledRules& rules);
  // `active_classes[c]`: some trigger of class c is active.
  ScoreResult Score(AccountState& account, const UserDirectory& users, TimeMs t,
                    const bool active_classes[3]) const;

 private:
  const CompiledRules& rules_;
  std::vector<TitleMatcher> senior_matchers_;  // per committee criterion (empty if unused)
};

// Firmographic predicate on one trait value (exposed for tests).
bool FirmographicHolds(const FirmographicCriterion& c, const Value* trait, TimeMs t);

}  // namespace headroom
