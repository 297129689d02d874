#include "engine/score.h"

#include <algorithm>
#include <set>

#include "engine/json.h"

namespace headroom {

bool FirmographicHolds(const FirmographicCriterion& c, const Value* trait, TimeMs t) {
  if (!trait || !trait->present()) return false;  // rule 19: a missing trait fails
  using Op = FirmographicCriterion::Op;
  switch (c.op) {
    case Op::kEquals: return *trait == c.value;
    case Op::kGte: return trait->is_number() && trait->number() >= c.number;
    case Op::kLte: return trait->is_number() && trait->number() <= c.number;
    case Op::kIn:
      return std::any_of(c.values.begin(), c.values.end(), [&](const Value& v) { return v == *trait; });
    case Op::kWithinDays: {
      if (!trait->is_string()) return false;
      const auto date = ParseIsoTime(trait->str());
      return date && *date >= t && *date < t + static_cast<TimeMs>(c.days) * kMsPerDay;
    }
  }
  return false;
}

Scorer::Scorer(const CompiledRules& rules) : rules_(rules) {
  for (const auto& c : rules.config().score.committee)
    senior_matchers_.emplace_back(c.kind == CommitteeCriterion::Kind::kNewSeniorUsers
                                      ? c.words
                                      : std::vector<std::string>{});
}

namespace {

const Value* UserTrait(const UserDirectory& users, const std::string& user, const std::string& key) {
  auto u = users.find(user);
  if (u == users.end()) return nullptr;
  auto it = u->second.find(key);
  return it == u->second.end() ? nullptr : &it->second.value;
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

}  // namespace

ScoreResult Scorer::Score(AccountState& account, const UserDirectory& users, TimeMs t,
                          const bool active_classes[3]) const {
  const ScoreConfig& sc = rules_.config().score;
  const Day today = DayOf(t);
  ScoreResult r;
  nlohmann::json firmo = nlohmann::json::array();
  double firmo_points = 0;
  for (const auto& c : sc.firmographic) {
    auto it = account.traits.find(c.trait);
    const Value* trait = it == account.traits.end() ? nullptr : &it->second.value;
    const bool holds = FirmographicHolds(c, trait, t);
    if (holds) firmo_points += c.points;
    nlohmann::json threshold;
    using Op = FirmographicCriterion::Op;
    switch (c.op) {
      case Op::kEquals: threshold = {{"equals", c.value.ToJsonValue()}}; break;
      case Op::kGte: threshold = {{"gte", NumberJson(c.number)}}; break;
      case Op::kLte: threshold = {{"lte", NumberJson(c.number)}}; break;
      case Op::kIn: {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& v : c.values) list.push_back(v.ToJsonValue());
        threshold = {{"in", list}};
        break;
      }
      case Op::kWithinDays: threshold = {{"within_days", c.days}}; break;
    }
    auto entry = Criterion(c.name, trait ? trait->ToJsonValue() : nlohmann::json(), threshold,
                           c.points, holds);
    entry["trait"] = c.trait;
    firmo.push_back(std::move(entry));
  }
  r.parts.firmographic = std::min(firmo_points, sc.firmographic_max);

  nlohmann::json usage = nlohmann::json::array();
  const double class_points[3] = {sc.usage_capacity, sc.usage_adoption, sc.usage_value};
  double* parts[3] = {&r.parts.capacity, &r.parts.adoption, &r.parts.value};
  for (int c = 0; c < 3; ++c) {
    *parts[c] = active_classes[c] ? class_points[c] : 0;
    usage.push_back(Criterion(TriggerClassName(static_cast<TriggerClass>(c)), active_classes[c],
                              "an active trigger", class_points[c], active_classes[c]));
  }

  nlohmann::json committee = nlohmann::json::array();
  double committee_points = 0;
  for (size_t i = 0; i < sc.committee.size(); ++i) {
    const CommitteeCriterion& c = sc.committee[i];
    const Day start = WindowStart(c.window, today);
    double value = 0;
    nlohmann::json detail;
    switch (c.kind) {
      case CommitteeCriterion::Kind::kNewSeniorUsers: {
        std::vector<std::string> who;
        for (const auto& [user, state] : account.users) {
          if (DayOf(state.first_event) < start) continue;
          const Value* title = UserTrait(users, user, "title");
          if (title && title->is_string() && senior_matchers_[i].Matches(title->str()))
            who.push_back(user);
        }
        std::sort(who.begin(), who.end());
        value = static_cast<double>(who.size());
        detail = who;
        break;
      }
      case CommitteeCriterion::Kind::kDistinctUserTrait: {
        std::set<Value> distinct;
        for (const auto& [user, state] : account.users) {
          if (state.last_day < start) continue;
          const Value* v = UserTrait(users, user, c.trait);
          if (v && v->present()) distinct.insert(*v);
        }
        value = static_cast<double>(distinct.size());
        detail = nlohmann::json::array();
        for (const auto& v : distinct) detail.push_back(v.ToJsonValue());
        break;
      }
      case CommitteeCriterion::Kind::kMetric: {
        const auto v = account.metrics[static_cast<size_t>(rules_.committee_metric(i))]
                           .CurrentNumber(today);
        value = v.value_or(0);
        break;
      }
    }
    const bool holds = value >= c.gte;  // score criteria compare exactly (rule 16)
    if (holds) committee_points += c.points;
    auto entry = Criterion(c.name, NumberJson(value), {{"gte", NumberJson(c.gte)}}, c.points, holds);
    if (!detail.is_null()) entry["detail"] = std::move(detail);
    committee.push_back(std::move(entry));
  }
  r.parts.committee = std::min(committee_points, sc.committee_max);
  r.parts.total = std::min(100.0, r.parts.firmographic + r.parts.capacity + r.parts.adoption +
                                      r.parts.value + r.parts.committee);
  r.evidence = {{"firmographic", std::move(firmo)},
                {"usage", std::move(usage)},
                {"committee", std::move(committee)}};
  return r;
}

}  // namespace headroom
