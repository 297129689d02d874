// Config: the validated contents of headroom.yaml (SPEC 2), as plain data.
// Every field carries its SPEC 2 default, so a default-constructed Config plus
// `metrics` and `triggers` is a complete, valid configuration. Produced by
// config/loader.h (which validates), read by every other part. Immutable after load.
//
// Units: durations in milliseconds (TimeMs); day counts as ints; thresholds and
// points as doubles (integral values print as integers).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "common/value.h"

namespace headroom {

struct ScoreConfig;
struct SuppressConfig;
// The SPEC 2 defaults for score / suppress / delivery (the example's values);
// defined in config/defaults.cc.
ScoreConfig DefaultScoreConfig();
SuppressConfig DefaultSuppressConfig();
std::vector<TimeMs> DefaultRetryDelays();

struct Window {
  enum class Kind { kDays, kMonth, kAll };
  Kind kind = Kind::kAll;
  int days = 0;  // for kDays: N of "Nd"
  bool operator==(const Window&) const = default;
};

enum class MetricForm { kCount, kSum, kDistinct, kDistinctUser, kDaysActive, kLatest };

struct MetricDef {
  std::string name;
  MetricForm form = MetricForm::kCount;
  std::vector<std::string> events;  // empty = every event
  std::string
      property;   // sum / distinct / latest property ("" for count, days_active, distinct user)
  Window window;  // latest: ignored (no window)
  std::vector<std::pair<std::string, Value>> where;  // all must equal
};

enum class TriggerClass { kCapacity, kAdoption, kValue };

struct TriggerDef {
  std::string name;
  TriggerClass cls = TriggerClass::kAdoption;
  std::string metric;                                        // exactly one of metric / ratio
  std::optional<std::pair<std::string, std::string>> ratio;  // [numerator, denominator]
  double at = 0;
  int hold_days = 30;
  std::optional<int> sustained_days;
  std::optional<double> buffer;  // requires limit
  std::optional<std::string> limit;
  std::optional<int> within_days_of_activation;
  std::optional<double> min_denominator;
  std::string motion;  // free text label (e.g. seat_upgrade)
};

struct FirmographicCriterion {
  enum class Op { kEquals, kGte, kLte, kIn, kWithinDays };
  std::string name;
  std::string trait;
  Op op = Op::kEquals;
  Value value;                // equals
  double number = 0;          // gte / lte
  std::vector<Value> values;  // in
  int days = 0;               // within_days
  double points = 0;
};

struct CommitteeCriterion {
  enum class Kind { kNewSeniorUsers, kDistinctUserTrait, kMetric };
  std::string name;
  Kind kind = Kind::kMetric;
  std::vector<std::string> words;  // new_senior_users: lower-case words/phrases
  std::string trait;               // distinct_user_trait
  MetricDef metric;  // kMetric: count/sum/distinct/days_active form (name = criterion name)
  Window window{Window::Kind::kDays, 30};
  double gte = 1;
  double points = 0;
};

struct ScoreConfig {
  double firmographic_max = 30;
  std::vector<FirmographicCriterion> firmographic;
  double usage_capacity = 20;
  double usage_adoption = 15;
  double usage_value = 15;
  double committee_max = 20;
  std::vector<CommitteeCriterion> committee;
};

struct TraitCondition {
  std::string trait;
  Value equals;
};

struct SuppressConfig {
  int contract_younger_than_days = 60;
  int sev1_ticket_within_days = 30;
  bool renewal_in_negotiation = true;
  std::vector<TraitCondition> traits;
};

struct RoutingConfig {
  double ae_at = 70;
  double csm_at = 50;
  double ae_touch_sla_hours = 48;
  double csm_touch_sla_hours = 120;
  int signal_expire_days = 30;
  int resignal_cooldown_days = 30;
};

struct WebhookConfig {
  std::string url;
  std::string format = "json";      // json | slack
  std::string secret;               // whsec_<base64>, json only
  std::vector<std::string> events;  // "*" = all
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> write_keys;
  std::vector<std::string> api_tokens;
  std::string public_url;  // default http://<listen>
  int64_t max_queue = 100000;
};

struct StorageConfig {
  std::string path = "./headroom-data";
  std::string synchronous = "normal";  // normal | full
  TimeMs snapshot_every = 5 * 60 * kMsPerSecond;
};

struct DeliveryConfig {
  std::vector<TimeMs> retry_delays = DefaultRetryDelays();  // 0s 5s 5m 30m 2h 5h 10h 14h 20h 24h
  TimeMs skip_older_than = kMsPerDay;
  TimeMs timeout = 10 * kMsPerSecond;
};

struct Config {
  ServerConfig server;
  StorageConfig storage;
  std::vector<MetricDef> metrics;
  std::vector<TriggerDef> triggers;
  int hold_days = 30;
  ScoreConfig score = DefaultScoreConfig();
  SuppressConfig suppress = DefaultSuppressConfig();
  RoutingConfig routing;
  double credit_ae = 0.8;
  double credit_csm = 0.2;
  double deal_desk_max_discount = 0.15;
  double deal_desk_max_term_months = 36;
  int reports_horizon_days = 60;
  std::vector<WebhookConfig> webhooks;
  DeliveryConfig delivery;

  // A fingerprint of everything that changes engine state (metrics, triggers,
  // hold_days, score, suppress, routing, credit, deal_desk); a change forces a rebuild.
  std::string rules_fingerprint;

  const MetricDef* FindMetric(std::string_view name) const {
    for (const auto& m : metrics)
      if (m.name == name) return &m;
    return nullptr;
  }
};

}  // namespace headroom
