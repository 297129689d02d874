// HistoryReader: everything the SPEC 4 reports need, loaded from the store
// once per report computation: revenue timelines (upgrades, churn, ...),
// account owners over time, owners, releases, opportunities, firings,
// signals, per-event facts from the input log, and the audit counters.
//
// Contract:
// * Reads only (the records, inputs, signals, firings, quarantine and counters
//   tables); never writes. Same threading rules as the Store.
// * Record versions follow SPEC 3.7 rule 6: per natural key the version with
//   the latest record time wins, ties to the later arrival (seq). The version
//   "in force at t" is the latest with record time <= t.
// * Times are UTC ms; days are UTC day numbers (common/time.h).
// * `parts` selects what is loaded; the event pass (kEvents) is the only one
//   that reads every row of the input log and parses it (simdjson).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "model/input.h"
#include "store/store.h"

namespace headroom::reports {

// One change of an account's MRR (the current version of the revenue record
// at `at`), with the MRR in force just before it.
struct RevenueChange {
  std::string account_id;
  TimeMs at = 0;
  double mrr = 0;
  double prev_mrr = 0;
  std::string plan;
  std::string prev_plan;  // "" when none
  bool is_upgrade() const { return prev_mrr > 0 && mrr > prev_mrr; }
};

struct FiringFact {
  std::string account_id;
  std::string trigger;
  std::string cls;  // capacity | adoption | value
  TimeMs fired_at = 0;
};

// Per event name, aggregated over the whole log.
struct EventStats {
  std::string name;
  int64_t count = 0;
  TimeMs first_seen = 0;
  TimeMs last_seen = 0;
  int64_t users = 0;      // distinct userIds (anonymous-only messages excluded)
  int64_t accounts = 0;   // distinct attributed accounts
  std::vector<Day> days;  // days with an occurrence (attributed or not); sorted, unique
  // (account index << 32 | day) for every attributed occurrence; sorted, unique.
  std::vector<uint64_t> account_days;
  // Property key -> occurrences carrying it with a non-null value.
  std::map<std::string, int64_t> properties;
};

inline uint64_t AccountDayKey(uint32_t account, Day day) {
  return (static_cast<uint64_t>(account) << 32) | static_cast<uint32_t>(day);
}
inline uint32_t KeyAccount(uint64_t key) { return static_cast<uint32_t>(key >> 32); }
inline Day KeyDay(uint64_t key) { return static_cast<Day>(static_cast<uint32_t>(key)); }

// The maximum input time in the log (what the engine's clock W is after a
// replay); nullopt when the log is empty.
std::optional<TimeMs> LogClock(Store& store);

class HistoryReader {
 public:
  enum Part : unsigned {
    kRevenue = 1,
    kAccounts = 2,
    kOwners = 4,
    kReleases = 8,
    kFirings = 16,
    kSignals = 32,
    kEvents = 64,
    kOpportunities = 128,
    kKnown = 256,  // known accounts, first input day (an aggregate query on the log)
    kAll = 0xffff,
  };

  HistoryReader(Store& store, const Config& config, TimeMs w, unsigned parts);

  TimeMs w() const { return w_; }
  Day first_day() const { return first_day_; }  // day of the first input (arrival order)

  // Known accounts (sorted) and the day each became known (its first input).
  const std::vector<std::string>& accounts() const { return accounts_; }
  const std::map<std::string, Day>& known_since() const { return known_since_; }
  int AccountIndex(std::string_view id) const;  // -1 when unknown
  // Time of the account's first event (activation); with kKnown or kEvents.
  std::optional<TimeMs> Activation(std::string_view account) const;

  // Revenue changes, by account then time; and the upgrades among them, by time.
  const std::map<std::string, std::vector<RevenueChange>, std::less<>>& revenue() const {
    return revenue_;
  }
  const std::vector<RevenueChange>& upgrades() const { return upgrades_; }
  double MrrAt(std::string_view account, TimeMs t) const;  // in force at t (at <= t)
  std::string PlanAt(std::string_view account, TimeMs t) const;

  // The account's AE / CSM from the account record in force at t.
  std::optional<std::string> AeAt(std::string_view account, TimeMs t) const;
  std::optional<std::string> CsmAt(std::string_view account, TimeMs t) const;

  const std::map<std::string, OwnerRecord>& owners() const { return owners_; }  // current
  const std::vector<ReleaseRecord>& releases() const { return releases_; }      // by feature
  const std::map<std::string, OpportunityRecord>& opportunities() const { return opportunities_; }
  const std::vector<FiringFact>& firings() const { return firings_; }  // by fired_at
  const std::vector<nlohmann::json>& signals() const { return signals_; }
  const std::vector<EventStats>& events() const { return events_; }  // by name
  const EventStats* FindEvent(std::string_view name) const;

  int64_t unattributed_events() const { return unattributed_; }
  int64_t quarantined() const { return quarantined_; }
  int64_t duplicates() const { return duplicates_; }
  // Per sum metric: events met whose property was not a JSON number.
  const std::map<std::string, int64_t>& non_numeric() const { return non_numeric_; }

 private:
  void LoadAccountsFromLog(Store& store);
  void LoadEvents(Store& store, const Config& config);
  void LoadRecords(Store& store, unsigned parts);

  TimeMs w_;
  Day first_day_ = 0;
  std::vector<std::string> accounts_;
  std::map<std::string, Day> known_since_;
  std::map<std::string, TimeMs, std::less<>> activation_;
  std::map<std::string, std::vector<RevenueChange>, std::less<>> revenue_;
  std::vector<RevenueChange> upgrades_;
  std::map<std::string, std::vector<std::pair<TimeMs, AccountOwners>>, std::less<>> owners_at_;
  std::map<std::string, OwnerRecord> owners_;
  std::vector<ReleaseRecord> releases_;
  std::map<std::string, OpportunityRecord> opportunities_;
  std::vector<FiringFact> firings_;
  std::vector<nlohmann::json> signals_;
  std::vector<EventStats> events_;
  int64_t unattributed_ = 0;
  int64_t quarantined_ = 0;
  int64_t duplicates_ = 0;
  std::map<std::string, int64_t> non_numeric_;
};

}  // namespace headroom::reports
