// The defaults SPEC 2 gives by example: every value of the example outside
// metrics, triggers, write keys, API tokens and webhooks.
#include "config/config.h"

namespace headroom {

ScoreConfig DefaultScoreConfig() {
  ScoreConfig s;
  using Op = FirmographicCriterion::Op;
  FirmographicCriterion icp;
  icp.name = icp.trait = "icp_fit";
  icp.op = Op::kEquals;
  icp.value = Value::Bool(true);
  icp.points = 15;
  FirmographicCriterion growth;
  growth.name = "headcount_growth";
  growth.trait = "headcount_growth_pct";
  growth.op = Op::kGte;
  growth.number = 10;
  growth.points = 10;
  FirmographicCriterion renewal;
  renewal.name = "competitor_renewal";
  renewal.trait = "competitor_renewal_date";
  renewal.op = Op::kWithinDays;
  renewal.days = 120;
  renewal.points = 5;
  s.firmographic = {icp, growth, renewal};

  CommitteeCriterion senior;
  senior.name = "senior_logins";
  senior.kind = CommitteeCriterion::Kind::kNewSeniorUsers;
  senior.words = {
      "director", "vp", "vice president", "head of", "chief", "cxo", "ceo", "cfo", "cto",
      "coo",      "cro"};
  senior.gte = 1;
  senior.points = 10;
  CommitteeCriterion dept;
  dept.name = "second_department";
  dept.kind = CommitteeCriterion::Kind::kDistinctUserTrait;
  dept.trait = "department";
  dept.gte = 2;
  dept.points = 5;
  CommitteeCriterion procurement;
  procurement.name = "procurement";
  procurement.kind = CommitteeCriterion::Kind::kMetric;
  procurement.metric.name = "procurement";
  procurement.metric.form = MetricForm::kCount;
  procurement.metric.events = {"Procurement Mentioned"};
  procurement.metric.window = Window{Window::Kind::kDays, 30};
  procurement.gte = 1;
  procurement.points = 5;
  s.committee = {senior, dept, procurement};
  return s;
}

SuppressConfig DefaultSuppressConfig() {
  SuppressConfig s;
  s.traits = {TraitCondition{"do_not_contact", Value::Bool(true)}};
  return s;
}

std::vector<TimeMs> DefaultRetryDelays() {
  return {0,
          5 * kMsPerSecond,
          5 * 60 * kMsPerSecond,
          30 * 60 * kMsPerSecond,
          2 * kMsPerHour,
          5 * kMsPerHour,
          10 * kMsPerHour,
          14 * kMsPerHour,
          20 * kMsPerHour,
          24 * kMsPerHour};
}

}  // namespace headroom
