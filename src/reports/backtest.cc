#include "reports/backtest.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>

#include "common/on_all_cores.h"
#include "engine/engine.h"
#include "engine/score.h"
#include "input/parser.h"
#include "reports/history.h"

namespace headroom::reports {

namespace {

const std::vector<std::string> kKeys = {
    "at", "sustained_days", "buffer", "hold_days", "within_days_of_activation", "min_denominator"};

std::optional<double> Configured(const TriggerDef& t, const std::string& key) {
  if (key == "at") return t.at;
  if (key == "sustained_days" && t.sustained_days) return *t.sustained_days;
  if (key == "buffer" && t.buffer) return *t.buffer;
  if (key == "hold_days") return t.hold_days;
  if (key == "within_days_of_activation" && t.within_days_of_activation)
    return *t.within_days_of_activation;
  if (key == "min_denominator" && t.min_denominator) return *t.min_denominator;
  return std::nullopt;
}

int WholeDays(const std::string& key, double v) {
  if (v != std::floor(v) || v < 1 || v > 100000)
    throw std::invalid_argument(key + ": must be a whole number of days >= 1 (got " +
                                std::to_string(v) + ")");
  return static_cast<int>(v);
}

void Apply(TriggerDef& t, const std::string& key, const std::optional<double>& value) {
  if (key == "at") {
    t.at = value.value_or(t.at);
  } else if (key == "sustained_days") {
    t.sustained_days = value ? std::optional<int>(WholeDays(key, *value)) : std::nullopt;
  } else if (key == "buffer") {
    if (value && !t.limit) throw std::invalid_argument("buffer: needs a trigger with a limit");
    if (value && (*value < 0 || *value > 1))
      throw std::invalid_argument("buffer: must be between 0 and 1");
    t.buffer = value;
  } else if (key == "hold_days") {
    if (value) t.hold_days = WholeDays(key, *value);
  } else if (key == "within_days_of_activation") {
    t.within_days_of_activation = value ? std::optional<int>(WholeDays(key, *value)) : std::nullopt;
  } else if (key == "min_denominator") {
    if (value && !t.ratio) throw std::invalid_argument("min_denominator: needs a ratio trigger");
    t.min_denominator = value;
  }
}

// What the replay learns about the log on the way.
struct LogFacts {
  std::map<std::string, Day> known_since;  // account -> first day with an input
  std::optional<Day> first_day;
  TimeMs w = 0;
};

// One stored input as the replay threads need it.
struct LoggedStep {
  uint64_t seq = 0;
  TimeMs time = 0;
  bool clock = false;
  std::string account_id;
  std::string raw;
};

// Reads the log once, in batches of kBatch, and hands each batch to
// `process`, which runs on a second thread, one batch at a time, while the
// next batch is read. Collects `facts` (unless null) and result.inputs.
void ReadLog(Store& store, LogFacts* facts, BacktestResult& result,
             const BacktestProgress& progress,
             const std::function<void(const std::vector<LoggedStep>&)>& process) {
  constexpr size_t kBatch = 16384;
  const uint64_t total = store.LastSeq();
  ++result.log_reads;
  std::vector<LoggedStep> filling, processing;
  std::thread worker;
  std::exception_ptr failure;
  const auto hand_over = [&] {
    if (worker.joinable()) worker.join();
    if (failure) std::rethrow_exception(failure);
    std::swap(filling, processing);
    filling.clear();
    worker = std::thread([&] {
      try {
        process(processing);
      } catch (...) {
        failure = std::current_exception();
      }
    });
  };
  uint64_t read = 0;
  try {
    store.ForEachInput(0, [&](const Store::LoggedInput& logged) {
      ++read;
      if (facts) {
        if (!facts->first_day) facts->first_day = DayOf(logged.time);
        facts->w = std::max(facts->w, logged.time);
        if (!logged.account_id.empty()) {
          auto [it, fresh] = facts->known_since.emplace(logged.account_id, DayOf(logged.time));
          if (!fresh) it->second = std::min(it->second, DayOf(logged.time));
        }
      }
      LoggedStep& step = filling.emplace_back();
      step.seq = logged.seq;
      step.time = logged.time;
      step.clock = logged.type == "clock";
      step.account_id = logged.account_id;
      if (!step.clock) step.raw = logged.raw;
      if (filling.size() == kBatch) hand_over();
      if (progress && (read % 16384 == 0 || read == total)) progress(read, total);
    });
    hand_over();
  } catch (...) {
    if (worker.joinable()) worker.join();
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
  result.inputs = read;
}

// Parses a stored input into `in` as it was applied: its seq, and the
// account it was attributed to when stored (rule 4).
void ParseStep(InputParser& parser, const LoggedStep& step, Input& in) {
  if (auto error = parser.Parse(step.raw, in)) {
    throw std::runtime_error("input log row " + std::to_string(step.seq) +
                             " no longer parses: " + error->ToString());
  }
  in.seq = step.seq;
  in.account_id = step.account_id;
}

// The grid in one replay: one EvaluationMode::kTriggersOnly engine per core,
// each owning a share of the accounts, whose config holds every variant of
// the trigger (named by its index) and only the metrics it reads. Inputs
// without an account change no trigger: they only advance the clocks.
struct VariantReplay {
  std::vector<std::vector<FiringPoint>> firings;  // per variant
  std::vector<bool> proven;                       // per variant: Engine::TriggerFiringsProven
};
VariantReplay ReplayVariants(Store& store, const Config& config,
                             const std::vector<TriggerDef>& variants, LogFacts& facts,
                             BacktestResult& result, const BacktestProgress& progress) {
  Config shared = config;
  const TriggerDef& base = variants.front();
  std::vector<MetricDef> read;
  for (const MetricDef& m : config.metrics) {
    const bool used = m.name == base.metric ||
                      (base.ratio && (m.name == base.ratio->first || m.name == base.ratio->second));
    if (used) read.push_back(m);
  }
  shared.metrics = std::move(read);
  shared.score.committee.clear();
  shared.triggers = variants;
  for (size_t i = 0; i < shared.triggers.size(); ++i) shared.triggers[i].name = std::to_string(i);

  const size_t parts = Cores(8);
  struct Part {
    std::unique_ptr<Engine> engine;
    std::unique_ptr<InputParser> parser;
    Input input;
  };
  std::vector<Part> engines(parts);
  for (Part& p : engines) {
    p.engine = std::make_unique<Engine>(shared, EvaluationMode::kTriggersOnly);
    p.engine->set_track_changes(false);
    p.parser = std::make_unique<InputParser>(p.engine->property_interest());
  }
  ReadLog(store, &facts, result, progress, [&](const std::vector<LoggedStep>& batch) {
    OnAllCores(parts, [&](size_t part) {
      Part& p = engines[part];
      for (const LoggedStep& step : batch) {
        if (step.clock || step.account_id.empty() ||
            std::hash<std::string>()(step.account_id) % parts != part) {
          p.engine->AdvanceTo(step.time);
          continue;
        }
        ParseStep(*p.parser, step, p.input);
        p.engine->Apply(p.input);
      }
    });
  });

  VariantReplay out{std::vector<std::vector<FiringPoint>>(variants.size()),
                    std::vector<bool>(variants.size(), true)};
  for (const Part& p : engines) {
    for (const Firing& f : p.engine->Firings())
      out.firings[std::stoul(f.trigger)].push_back({f.account_id, f.fired_at});
    for (size_t i = 0; i < variants.size(); ++i)
      if (!p.engine->TriggerFiringsProven(i)) out.proven[i] = false;
  }
  return out;
}

// One full engine per variant (each from a copy of the config with the
// variant in place of trigger `index`), fed every input: the fallback for
// variants whose firings the shared replay could not prove.
std::vector<std::vector<FiringPoint>> ReplayFullEngines(Store& store, const Config& config,
                                                        size_t index,
                                                        const std::vector<TriggerDef>& variants,
                                                        BacktestResult& result,
                                                        const BacktestProgress& progress) {
  // Config copies at stable addresses: an engine keeps pointers into its Config.
  std::vector<std::unique_ptr<Config>> configs;
  std::vector<std::unique_ptr<Engine>> engines;
  for (const TriggerDef& variant : variants) {
    auto copy = std::make_unique<Config>(config);
    copy->triggers[index] = variant;
    engines.push_back(std::make_unique<Engine>(*copy));
    engines.back()->set_track_changes(false);
    configs.push_back(std::move(copy));
  }
  // Inputs are parsed once per batch; each engine is fed by one thread at a
  // time (its state stays in cache), the engines split over the cores.
  InputParser parser(engines.front()->property_interest());
  const size_t threads = Cores(engines.size());
  std::vector<Input> inputs;
  ReadLog(store, nullptr, result, progress, [&](const std::vector<LoggedStep>& batch) {
    inputs.resize(batch.size());
    for (size_t k = 0; k < batch.size(); ++k) {
      if (!batch[k].clock) ParseStep(parser, batch[k], inputs[k]);
    }
    const size_t share = (engines.size() + threads - 1) / threads;
    OnAllCores(threads, [&](size_t part) {
      for (size_t i = part * share; i < std::min(engines.size(), (part + 1) * share); ++i)
        for (size_t k = 0; k < batch.size(); ++k) {
          if (batch[k].clock)
            engines[i]->AdvanceTo(batch[k].time);
          else
            engines[i]->Apply(inputs[k]);
        }
    });
  });
  std::vector<std::vector<FiringPoint>> firings(variants.size());
  for (size_t i = 0; i < variants.size(); ++i)
    for (const Firing& f : engines[i]->Firings())
      if (f.trigger == variants[i].name) firings[i].push_back({f.account_id, f.fired_at});
  return firings;
}
}  // namespace

std::optional<BacktestAxis> ParseBacktestSet(std::string_view text, std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    error = "--set: expected KEY=V1,V2,... (got '" + std::string(text) + "')";
    return std::nullopt;
  }
  BacktestAxis axis;
  axis.key = std::string(text.substr(0, eq));
  if (std::find(kKeys.begin(), kKeys.end(), axis.key) == kKeys.end()) {
    error = "--set: unknown key '" + axis.key +
            "' (at, sustained_days, buffer, hold_days, within_days_of_activation, "
            "min_denominator)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    const auto comma = rest.find(',');
    const std::string item(rest.substr(0, comma));
    double v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() ||
        !std::isfinite(v)) {
      error = "--set " + axis.key + ": '" + item + "' is not a number";
      return std::nullopt;
    }
    axis.values.push_back(v);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return axis;
}

std::optional<std::vector<BacktestAxis>> ParseBacktestGrid(const std::vector<std::string>& sets,
                                                           std::string& error) {
  std::vector<BacktestAxis> grid;
  for (const std::string& value : sets) {
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string_view item = rest.substr(0, semi);
      if (!item.empty()) {
        auto axis = ParseBacktestSet(item, error);
        if (!axis) return std::nullopt;
        grid.push_back(std::move(*axis));
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return grid;
}

std::optional<int> ParseHorizonDays(std::string_view text, std::string& error) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 1 || v > 3650) {
    error = "--horizon must be a number of days between 1 and 3650";
    return std::nullopt;
  }
  return v;
}

BacktestResult RunBacktest(Store& store, const Config& config, std::string_view trigger,
                           const std::vector<BacktestAxis>& grid, int horizon_days,
                           const BacktestProgress& progress) {
  size_t trigger_index = config.triggers.size();
  for (size_t i = 0; i < config.triggers.size(); ++i)
    if (config.triggers[i].name == trigger) trigger_index = i;
  if (trigger_index == config.triggers.size())
    throw std::invalid_argument("unknown trigger '" + std::string(trigger) + "'");
  const TriggerDef& base = config.triggers[trigger_index];
  for (const auto& axis : grid) {
    if (std::find(kKeys.begin(), kKeys.end(), axis.key) == kKeys.end())
      throw std::invalid_argument("unknown key '" + axis.key + "'");
  }

  // Every combination of the grid (cartesian product, first axis outermost),
  // plus the configured one when the grid does not contain it.
  std::vector<std::map<std::string, std::optional<double>>> combos(1);
  for (const auto& axis : grid) {
    std::vector<std::map<std::string, std::optional<double>>> next;
    for (const auto& c : combos)
      for (const double v : axis.values) {
        auto n = c;
        n[axis.key] = v;
        next.push_back(std::move(n));
      }
    combos = std::move(next);
  }
  std::map<std::string, std::optional<double>> configured;
  for (const auto& axis : grid) configured[axis.key] = Configured(base, axis.key);
  if (std::find(combos.begin(), combos.end(), configured) == combos.end())
    combos.push_back(configured);

  std::vector<TriggerDef> variants;
  for (const auto& combo : combos) {
    TriggerDef t = base;
    for (const auto& [key, value] : combo) Apply(t, key, value);
    variants.push_back(std::move(t));
  }

  BacktestResult result;
  result.trigger = std::string(trigger);
  result.horizon_days = horizon_days;
  LogFacts facts;
  VariantReplay replay = ReplayVariants(store, config, variants, facts, result, progress);
  std::vector<std::vector<FiringPoint>>& firings = replay.firings;
  // Combinations whose firings a full engine might record differently (an
  // evaluation at one of its signals' deadlines, engine/unseen_deadlines.h):
  // replayed again, one full engine each. (None when no account can ever
  // score high enough to get a signal.)
  const bool signals_possible =
      MaxScore(config) >= std::min(config.routing.ae_at, config.routing.csm_at);
  std::vector<size_t> unproven;
  for (size_t i = 0; i < variants.size(); ++i)
    if (signals_possible && !replay.proven[i]) unproven.push_back(i);
  if (!unproven.empty()) {
    std::vector<TriggerDef> again;
    for (size_t i : unproven) again.push_back(variants[i]);
    std::vector<std::vector<FiringPoint>> full =
        ReplayFullEngines(store, config, trigger_index, again, result, progress);
    for (size_t k = 0; k < unproven.size(); ++k) firings[unproven[k]] = std::move(full[k]);
  }
  result.combinations_replayed_in_full = unproven.size();
  const TimeMs w = facts.w;
  result.w = w;

  HistoryReader h(store, config, w, HistoryReader::kRevenue);
  const UpgradeIndex upgrades = IndexUpgrades(h.upgrades());
  const auto base_rate = BaseRate(facts.known_since, facts.first_day.value_or(DayOf(w)), DayOf(w),
                                  upgrades, horizon_days);
  for (size_t i = 0; i < combos.size(); ++i) {
    BacktestRow row;
    row.combination = combos[i];
    row.configured = combos[i] == configured;
    row.outcome = EvaluateFirings(firings[i], upgrades, base_rate, horizon_days);
    result.rows.push_back(std::move(row));
  }
  std::stable_sort(result.rows.begin(), result.rows.end(),
                   [](const BacktestRow& a, const BacktestRow& b) {
                     const double fa = a.outcome.f1.value_or(-1);
                     const double fb = b.outcome.f1.value_or(-1);
                     return fa > fb;
                   });
  return result;
}

nlohmann::json BacktestJson(const BacktestResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json combo = nlohmann::json::object();
    for (const auto& [key, value] : row.combination) combo[key] = Opt(value);
    nlohmann::json j = {{"combination", combo}, {"configured", row.configured}};
    j.update(OutcomeJson(row.outcome));
    rows.push_back(std::move(j));
  }
  return {{"trigger", r.trigger},
          {"as_of", FormatIsoTime(r.w)},
          {"horizon_days", r.horizon_days},
          {"inputs_replayed", r.inputs},
          {"log_reads", r.log_reads},
          {"combinations_replayed_in_full", r.combinations_replayed_in_full},
          {"combinations", rows}};
}

}  // namespace headroom::reports
