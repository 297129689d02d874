#include "reports/backtest.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>

#include "engine/engine.h"
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

  // Config copies at stable addresses: an engine keeps pointers into its Config.
  std::vector<std::unique_ptr<Config>> configs;
  std::vector<std::unique_ptr<Engine>> engines;
  for (const auto& combo : combos) {
    auto copy = std::make_unique<Config>(config);
    for (const auto& [key, value] : combo) Apply(copy->triggers[trigger_index], key, value);
    engines.push_back(std::make_unique<Engine>(*copy));
    engines.back()->set_track_changes(false);
    configs.push_back(std::move(copy));
  }

  BacktestResult result;
  result.trigger = std::string(trigger);
  result.horizon_days = horizon_days;
  // The single read of the log: every input goes to every engine; known
  // accounts, the first day and W are collected on the way. Inputs are parsed
  // once, in batches; the engines (independent, each owned by one thread for
  // a batch) are split over the machine's cores.
  InputParser parser(engines.front()->property_interest());
  std::map<std::string, Day> known_since;
  std::optional<Day> first_day;
  TimeMs w = 0;
  const uint64_t total = store.LastSeq();
  ++result.log_reads;
  struct Step {
    TimeMs clock = 0;  // a clock input: AdvanceTo(clock)
    std::optional<Input> input;
  };
  std::vector<Step> batch;
  constexpr size_t kBatch = 16384;
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, engines.size());
  const auto feed = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)  // one engine at a time: its state stays in cache
      for (const Step& step : batch) {
        if (step.input)
          engines[i]->Apply(*step.input);
        else
          engines[i]->AdvanceTo(step.clock);
      }
  };
  const auto flush = [&] {
    std::vector<std::thread> helpers;
    const size_t share = (engines.size() + threads - 1) / threads;
    for (size_t from = share; from < engines.size(); from += share)
      helpers.emplace_back(feed, from, std::min(engines.size(), from + share));
    feed(0, std::min(engines.size(), share));
    for (auto& t : helpers) t.join();
    batch.clear();
  };
  store.ForEachInput(0, [&](const Store::LoggedInput& logged) {
    ++result.inputs;
    if (!first_day) first_day = DayOf(logged.time);
    w = std::max(w, logged.time);
    if (!logged.account_id.empty()) {
      auto [it, fresh] = known_since.emplace(logged.account_id, DayOf(logged.time));
      if (!fresh) it->second = std::min(it->second, DayOf(logged.time));
    }
    if (logged.type == "clock") {
      batch.push_back(Step{logged.time, std::nullopt});
    } else {
      Result<Input> parsed = parser.Parse(logged.raw);
      if (!parsed.ok()) {
        throw std::runtime_error("input log row " + std::to_string(logged.seq) +
                                 " no longer parses: " + parsed.error().ToString());
      }
      Input& in = parsed.value();
      in.seq = logged.seq;
      in.account_id = logged.account_id;  // attribution is fixed when stored (rule 4)
      batch.push_back(Step{0, std::move(in)});
    }
    if (batch.size() == kBatch) flush();
    if (progress && (result.inputs % 16384 == 0 || result.inputs == total))
      progress(result.inputs, total);
  });
  flush();
  result.w = w;

  HistoryReader h(store, config, w, HistoryReader::kRevenue);
  const UpgradeIndex upgrades = IndexUpgrades(h.upgrades());
  const auto base_rate =
      BaseRate(known_since, first_day.value_or(DayOf(w)), DayOf(w), upgrades, horizon_days);
  for (size_t i = 0; i < combos.size(); ++i) {
    std::vector<FiringPoint> points;
    for (const Firing* f : engines[i]->Firings())
      if (f->trigger == trigger) points.push_back({f->account_id, f->fired_at});
    BacktestRow row;
    row.combination = combos[i];
    row.configured = combos[i] == configured;
    row.outcome = EvaluateFirings(points, upgrades, base_rate, horizon_days);
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
  return {{"trigger", r.trigger},           {"as_of", FormatIsoTime(r.w)},
          {"horizon_days", r.horizon_days}, {"inputs_replayed", r.inputs},
          {"log_reads", r.log_reads},       {"combinations", rows}};
}

}  // namespace headroom::reports
