#include "engine/score.h"

#include <algorithm>
#include <limits>

#include "engine/json.h"
#include "engine/user_directory.h"

namespace headroom {

double MaxScore(const Config& config) {
  const ScoreConfig& sc = config.score;
  double firmographic = 0;
  for (const auto& c : sc.firmographic) firmographic += std::max(0.0, c.points);
  double committee = 0;
  for (const auto& c : sc.committee) committee += std::max(0.0, c.points);
  bool classes[3] = {false, false, false};
  for (const auto& t : config.triggers) classes[static_cast<int>(t.cls)] = true;
  const double usage_points[3] = {sc.usage_capacity, sc.usage_adoption, sc.usage_value};
  double usage = 0;
  for (int c = 0; c < 3; ++c)
    if (classes[c]) usage += std::max(0.0, usage_points[c]);
  return std::min(100.0, std::min(sc.firmographic_max, firmographic) + usage +
                             std::min(sc.committee_max, committee));
}

bool FirmographicHolds(const FirmographicCriterion& c, const Value* trait, TimeMs t) {
  if (!trait || !trait->present()) return false;  // rule 19: a missing trait fails
  using Op = FirmographicCriterion::Op;
  switch (c.op) {
    case Op::kEquals: return *trait == c.value;
    case Op::kGte: return trait->is_number() && trait->number() >= c.number;
    case Op::kLte: return trait->is_number() && trait->number() <= c.number;
    case Op::kIn:
      return std::any_of(c.values.begin(), c.values.end(),
                         [&](const Value& v) { return v == *trait; });
    case Op::kWithinDays: {
      if (!trait->is_string()) return false;
      const auto date = ParseIsoTime(trait->str());
      return date && *date >= t && *date < t + static_cast<TimeMs>(c.days) * kMsPerDay;
    }
  }
  return false;
}

Scorer::Scorer(const CompiledRules& rules) : rules_(rules) {
  for (const auto& c : rules.config().score.committee) {
    senior_matchers_.emplace_back(
        c.kind == CommitteeCriterion::Kind::kNewSeniorUsers ? c.words : std::vector<std::string>{});
    user_cache_.emplace_back();
    std::string read;
    if (c.kind == CommitteeCriterion::Kind::kNewSeniorUsers) read = "title";
    if (c.kind == CommitteeCriterion::Kind::kDistinctUserTrait) read = c.trait;
    if (!read.empty() && std::find(user_traits_read_.begin(), user_traits_read_.end(), read) ==
                             user_traits_read_.end())
      user_traits_read_.push_back(std::move(read));
  }
}

namespace {

const Value* TraitOf(const TimedTraits& traits, std::string_view key) {
  auto it = traits.find(key);
  return it == traits.end() ? nullptr : &it->second.value;
}

nlohmann::json Criterion(const std::string& name, nlohmann::json value, nlohmann::json threshold,
                         double points, bool holds) {
  return {{"name", name},
          {"value", std::move(value)},
          {"threshold", std::move(threshold)},
          {"points", NumberJson(holds ? points : 0)},
          {"max_points", NumberJson(points)},
          {"holds", holds}};
}

nlohmann::json ThresholdJson(const FirmographicCriterion& c) {
  using Op = FirmographicCriterion::Op;
  switch (c.op) {
    case Op::kEquals: return {{"equals", c.value.ToJsonValue()}};
    case Op::kGte: return {{"gte", NumberJson(c.number)}};
    case Op::kLte: return {{"lte", NumberJson(c.number)}};
    case Op::kIn: {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& v : c.values) list.push_back(v.ToJsonValue());
      return {{"in", list}};
    }
    case Op::kWithinDays: return {{"within_days", c.days}};
  }
  return nullptr;
}

}  // namespace

int32_t& Scorer::Cached(size_t criterion, uint32_t ordinal) {
  std::vector<int32_t>& cache = user_cache_[criterion];
  if (ordinal >= cache.size()) {
    // Grown by an eighth, not doubled: 4 bytes a user, not 6 on average.
    const size_t n = size_t{ordinal} + 1;
    if (n > cache.capacity()) cache.reserve(n + n / 8);
    cache.resize(n, kUnknown);
  }
  return cache[ordinal];
}

void Scorer::UserTraitsChanged(uint32_t ordinal) {
  for (std::vector<int32_t>& cache : user_cache_)
    if (ordinal < cache.size()) cache[ordinal] = kUnknown;
}

bool Scorer::IsSenior(UserDirectory& users, uint32_t ordinal, size_t criterion) {
  int32_t& cached = Cached(criterion, ordinal);
  if (cached == kUnknown) {
    const UserRecord& record = users.record(ordinal);
    const Value* title = record.identified ? TraitOf(record.identified->traits, "title") : nullptr;
    cached =
        title && title->is_string() && senior_matchers_[criterion].Matches(title->str()) ? 1 : 0;
  }
  return cached == 1;
}

Day Scorer::LatestUserWindowStart(Day today) {
  if (today == latest_start_day_) return latest_start_;  // asked once per event: same day
  Day latest = std::numeric_limits<Day>::min();
  for (const CommitteeCriterion& c : rules_.config().score.committee)
    if (c.kind == CommitteeCriterion::Kind::kDistinctUserTrait)
      latest = std::max(latest, WindowStart(c.window, today));
  latest_start_day_ = today;
  latest_start_ = latest;
  return latest;
}

int32_t Scorer::TraitId(UserDirectory& users, uint32_t ordinal, size_t criterion) {
  int32_t& cached = Cached(criterion, ordinal);
  if (cached == kUnknown) {
    const UserRecord& record = users.record(ordinal);
    const Value* v = record.identified ? TraitOf(record.identified->traits,
                                                 rules_.config().score.committee[criterion].trait)
                                       : nullptr;
    if (!v || !v->present()) {
      cached = -1;
    } else {
      auto [it, inserted] = trait_ids_.try_emplace(*v, static_cast<int32_t>(trait_ids_.size()));
      if (inserted) id_stamp_.push_back(0);
      cached = it->second;
    }
  }
  return cached;
}

ScoreParts Scorer::Score(AccountState& account, TimeMs t, const bool active_classes[3],
                         UserDirectory& users, uint64_t traits_version) {
  const ScoreConfig& sc = rules_.config().score;
  const Day today = DayOf(t);
  ScoreParts parts;

  // Only within_days reads t; the others change only with the traits.
  const bool traits_unchanged = account.firmographic_key == account.traits_version;
  account.firmographic_key = account.traits_version;
  double firmo = 0;
  for (size_t i = 0; i < sc.firmographic.size(); ++i) {
    const auto& c = sc.firmographic[i];
    const uint64_t bit = i < 64 ? uint64_t{1} << i : 0;
    bool holds;
    if (bit && traits_unchanged && c.op != FirmographicCriterion::Op::kWithinDays) {
      holds = (account.firmographic_holds & bit) != 0;
    } else {
      holds = FirmographicHolds(c, TraitOf(account.traits, c.trait), t);
      account.firmographic_holds =
          holds ? account.firmographic_holds | bit : account.firmographic_holds & ~bit;
    }
    if (holds) firmo += c.points;
  }
  parts.firmographic = std::min(firmo, sc.firmographic_max);

  parts.capacity = active_classes[0] ? sc.usage_capacity : 0;
  parts.adoption = active_classes[1] ? sc.usage_adoption : 0;
  parts.value = active_classes[2] ? sc.usage_value : 0;

  const bool users_unchanged = account.committee_values.size() == sc.committee.size() &&
                               today <= account.committee_stable_through &&
                               account.committee_key_users == account.users_version &&
                               account.committee_key_traits == traits_version;
  account.committee_key_users = account.users_version;
  account.committee_key_traits = traits_version;
  if (account.committee_values.size() != sc.committee.size())
    account.committee_values.assign(sc.committee.size(), 0.0);
  Day stable_through = std::numeric_limits<Day>::max();
  double committee = 0;
  for (size_t i = 0; i < sc.committee.size(); ++i) {
    const CommitteeCriterion& c = sc.committee[i];
    double value = 0;
    // The earliest day, over the users counted, that keeps them in the window.
    Day earliest = std::numeric_limits<Day>::max();
    if (users_unchanged && c.kind != CommitteeCriterion::Kind::kMetric) {
      value = account.committee_values[i];
    } else
      switch (c.kind) {
        case CommitteeCriterion::Kind::kNewSeniorUsers: {
          // Rule 20: the user's earliest event in this account is in the window.
          const Day start = WindowStart(c.window, today);
          account.users.ForEach([&](const UserInAccount& u) {
            if (u.first_day >= start && IsSenior(users, u.user, i)) {
              ++value;
              earliest = std::min(earliest, u.first_day);
            }
          });
          break;
        }
        case CommitteeCriterion::Kind::kDistinctUserTrait: {
          // Rule 21: users with an event in the window; their current value of T.
          const Day start = WindowStart(c.window, today);
          ++stamp_;
          account.users.ForEach([&](const UserInAccount& u) {
            if (u.last_day < start) return;
            const int32_t id = TraitId(users, u.user, i);
            if (id < 0) return;
            earliest = std::min(earliest, u.last_day);
            uint64_t& seen = id_stamp_[static_cast<size_t>(id)];
            if (seen != stamp_) {
              seen = stamp_;
              ++value;
            }
          });
          break;
        }
        case CommitteeCriterion::Kind::kMetric:
          value = account.metrics[static_cast<size_t>(rules_.committee_metric(i))]
                      .CurrentNumber(today)
                      .value_or(0);
          break;
      }
    if (earliest != std::numeric_limits<Day>::max())
      stable_through = std::min(stable_through, LastDayWindowStartsBy(c.window, earliest, today));
    account.committee_values[i] = value;
    if (value >= c.gte) committee += c.points;  // score criteria compare exactly (rule 16)
  }
  if (!users_unchanged) account.committee_stable_through = stable_through;
  parts.committee = std::min(committee, sc.committee_max);
  parts.total = std::min(
      100.0, parts.firmographic + parts.capacity + parts.adoption + parts.value + parts.committee);
  return parts;
}

nlohmann::json Scorer::Evidence(const AccountState& account, const ScoreParts& parts,
                                TimeMs t) const {
  const ScoreConfig& sc = rules_.config().score;
  nlohmann::json firmo = nlohmann::json::array();
  for (size_t i = 0; i < sc.firmographic.size(); ++i) {
    const auto& c = sc.firmographic[i];
    const Value* trait = TraitOf(account.traits, c.trait);
    const bool holds =
        i < 64 ? (account.firmographic_holds >> i & 1) != 0 : FirmographicHolds(c, trait, t);
    auto entry = Criterion(c.name, trait ? trait->ToJsonValue() : nlohmann::json(),
                           ThresholdJson(c), c.points, holds);
    entry["trait"] = c.trait;
    firmo.push_back(std::move(entry));
  }
  nlohmann::json usage = nlohmann::json::array();
  const double class_points[3] = {sc.usage_capacity, sc.usage_adoption, sc.usage_value};
  (void)parts;
  bool active[3] = {false, false, false};
  for (int i : account.active_triggers)
    active[static_cast<int>(rules_.triggers()[static_cast<size_t>(i)].def->cls)] = true;
  for (int c = 0; c < 3; ++c) {
    const bool holds = active[c];
    usage.push_back(Criterion(TriggerClassName(static_cast<TriggerClass>(c)), holds,
                              "an active trigger", class_points[c], holds));
  }
  nlohmann::json committee = nlohmann::json::array();
  for (size_t i = 0; i < sc.committee.size(); ++i) {
    const CommitteeCriterion& c = sc.committee[i];
    const double value = i < account.committee_values.size() ? account.committee_values[i] : 0;
    auto entry = Criterion(c.name, NumberJson(value), {{"gte", NumberJson(c.gte)}}, c.points,
                           value >= c.gte);
    entry["window"] = c.window.kind == Window::Kind::kDays    ? std::to_string(c.window.days) + "d"
                      : c.window.kind == Window::Kind::kMonth ? "month"
                                                              : "all";
    committee.push_back(std::move(entry));
  }
  return {{"firmographic", std::move(firmo)},
          {"usage", std::move(usage)},
          {"committee", std::move(committee)}};
}

}  // namespace headroom
