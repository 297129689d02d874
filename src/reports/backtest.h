// Backtest (SPEC 4): replays the stored history ONCE per grid and scores each
// combination's firings of the named trigger exactly as the triggers report
// does (reports/outcomes.h). Every combination is a variant of the trigger in
// one engine in EvaluationMode::kTriggersOnly (metric state shared, the
// accounts split over the cores); a combination whose firings that engine
// cannot prove equal to a full engine's (one built from a copy of the Config
// with the combination applied: engine/unseen_deadlines.h) is replayed again
// with such a full engine (unless no account can ever score high enough for
// a signal: engine/score.h MaxScore), so every row is what a full engine records. The
// trigger rules are the engine's: nothing is re-implemented here; the result
// does not depend on the number of cores.
//
// Keys: at, sustained_days, buffer, hold_days, within_days_of_activation,
// min_denominator. The configured combination is always evaluated (added when
// the grid does not contain it) and marked.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "reports/outcomes.h"
#include "store/store.h"

namespace headroom::reports {

struct BacktestAxis {
  std::string key;
  std::vector<double> values;
};

// "at=0.7,0.8,0.9" -> {at, [0.7, 0.8, 0.9]}; nullopt and `error` set when malformed.
std::optional<BacktestAxis> ParseBacktestSet(std::string_view text, std::string& error);

// The grid of `headroom backtest --set ...` and `GET /v1/backtest?set=...`
// (one implementation for both): every value is one axis "KEY=V1,V2", or
// several separated by ';' ("at=0.7,0.8;sustained_days=10,20"). nullopt and
// `error` set (ParseBacktestSet's text) when an axis is malformed; an empty
// grid is returned as such (the caller reports the usage).
std::optional<std::vector<BacktestAxis>> ParseBacktestGrid(const std::vector<std::string>& sets,
                                                           std::string& error);
// A horizon in days, 1..3650; nullopt and `error` set otherwise.
std::optional<int> ParseHorizonDays(std::string_view text, std::string& error);

struct BacktestRow {
  std::map<std::string, std::optional<double>> combination;  // key -> value (null: not set)
  bool configured = false;
  TriggerOutcome outcome;
};

struct BacktestResult {
  std::string trigger;
  int horizon_days = 0;
  TimeMs w = 0;
  std::vector<BacktestRow> rows;  // sorted by F1 descending (null last), then grid order
  uint64_t inputs = 0;            // inputs replayed
  uint64_t log_reads = 0;         // full reads of the input log (1, or 2 with a fallback)
  uint64_t combinations_replayed_in_full = 0;  // the fallback's combinations
};

using BacktestProgress = std::function<void(uint64_t done, uint64_t total)>;

// Throws std::invalid_argument for an unknown trigger, an unknown key or a
// value the key does not accept (e.g. buffer on a trigger without a limit).
BacktestResult RunBacktest(Store& store, const Config& config, std::string_view trigger,
                           const std::vector<BacktestAxis>& grid, int horizon_days,
                           const BacktestProgress& progress = {});

nlohmann::json BacktestJson(const BacktestResult& r);

}  // namespace headroom::reports
