// The demo generator (src/demo, docs/DEMO.md): deterministic bytes per seed,
// a weekday rhythm, seat growth toward contract limits, every trigger class
// firing on a realistic share of accounts once imported through the real
// Ingestor, and the planted predictive trigger (seat_capacity) converting to
// upgrades far more often than the others.
#include "demo/generator.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "config/loader.h"
#include "demo/demo_config.h"
#include "demo/random.h"
#include "demo/writer.h"
#include "ingest/ingestor.h"
#include "store/store.h"

namespace headroom::demo {
namespace {

std::string Generate(const DemoParams& p, DemoStats* stats = nullptr) {
  std::ostringstream out;
  const DemoStats s = GenerateDemo(p, out);
  if (stats) *stats = s;
  return out.str();
}

std::vector<std::string_view> Lines(const std::string& text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    lines.emplace_back(text.data() + pos, nl - pos);
    pos = nl + 1;
  }
  return lines;
}

bool IsEvent(std::string_view line) {
  return line.starts_with(R"({"type":"track")") || line.starts_with(R"({"type":"page")");
}

// The string value of "key":"..." in a line written by the generator.
std::string_view Field(std::string_view line, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":\"";
  const size_t at = line.rfind(needle);
  if (at == std::string_view::npos) return {};
  const size_t start = at + needle.size();
  return line.substr(start, line.find('"', start) - start);
}

// ---------------------------------------------------------------- shared company
// One company (60 accounts x 4 months, seed 42) generated and imported through the
// real Ingestor into a real store once per build of this test binary, then shared
// by every test process: ctest runs each test in its own process, and generating
// plus importing takes ~100 s under ASan. The cache is a directory under the temp
// dir named after this executable's path, size and mtime (a rebuild never reuses
// an old company), filled under an exclusive flock and published by writing the
// `done` marker last. It holds the NDJSON text and the store's firings and signals.

constexpr int kAccounts = 60;
constexpr int kMonths = 4;

struct SharedCompany {
  std::string text;
  std::vector<nlohmann::json> firings;  // Store::Firings(all, all)
  std::vector<nlohmann::json> signals;  // Store::Signals(all, all, all)
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

uint64_t Fnv1a(std::string_view text, uint64_t h = 0xcbf29ce484222325ULL) {
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::filesystem::path CacheDir() {
  namespace fs = std::filesystem;
  const fs::path exe = fs::canonical("/proc/self/exe");
  const std::string key = exe.string() + "|" + std::to_string(fs::file_size(exe)) + "|" +
                          std::to_string(fs::last_write_time(exe).time_since_epoch().count());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a(key)));
  return fs::temp_directory_path() / (std::string("headroom-demo-fixture-") + hex);
}

void BuildSharedCompany(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::remove_all(dir);
  fs::create_directories(dir);
  DemoParams p;
  p.accounts = kAccounts;
  p.months = kMonths;
  p.seed = 42;
  const std::string text = Generate(p);
  const Config config = std::move(*LoadConfig(DemoConfigYaml(dir.string())).config);
  nlohmann::json firings, signals;
  {
    std::unique_ptr<Store> store = Store::Open((dir / "store").string(), "normal");
    Ingestor ingestor(config, *store);
    ingestor.Open(false);
    int64_t n = 0;
    for (std::string_view line : Lines(text)) {
      std::string error;
      if (ingestor.Ingest(line, "demo", ++n, &error) != IngestOutcome::kStored)
        throw std::runtime_error("line " + std::to_string(n) + " not stored: " + error);
    }
    ingestor.Flush();
    firings = store->Firings(std::nullopt, std::nullopt);
    signals = store->Signals(std::nullopt, std::nullopt, std::nullopt);
  }
  fs::remove_all(dir / "store");
  WriteFile(dir / "company.ndjson", text);
  WriteFile(dir / "firings.json", firings.dump());
  WriteFile(dir / "signals.json", signals.dump());
  WriteFile(dir / "done", "");
}

const SharedCompany& Shared() {
  static const SharedCompany* shared = [] {
    namespace fs = std::filesystem;
    const fs::path dir = CacheDir();
    if (!fs::exists(dir / "done")) {
      const std::string lock_path = dir.string() + ".lock";
      const int fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0600);
      if (fd < 0 || ::flock(fd, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock_path);
      if (!fs::exists(dir / "done")) {
        // Companies of earlier builds older than a day are garbage.
        const auto stale = fs::file_time_type::clock::now() - std::chrono::hours(24);
        for (const auto& e : fs::directory_iterator(fs::temp_directory_path())) {
          std::error_code ec;
          if (e.path().filename().string().starts_with("headroom-demo-fixture-") &&
              e.path() != dir && e.path().string() != lock_path && e.last_write_time(ec) < stale)
            fs::remove_all(e.path(), ec);
        }
        BuildSharedCompany(dir);
      }
      ::close(fd);  // releases the lock
    }
    auto* s = new SharedCompany;
    s->text = ReadFile(dir / "company.ndjson");
    for (auto& f : nlohmann::json::parse(ReadFile(dir / "firings.json"))) s->firings.push_back(f);
    for (auto& g : nlohmann::json::parse(ReadFile(dir / "signals.json"))) s->signals.push_back(g);
    return s;
  }();
  return *shared;
}

TEST(DemoRngTest, DistributionsAreOwnAndSane) {
  DemoRng a(7), b(7);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.Next(), b.Next());
  DemoRng r(1);
  double sum = 0, poisson = 0;
  for (int i = 0; i < 20000; ++i) {
    sum += r.Normal(2, 1);
    poisson += r.Poisson(3.5);
    const double u = r.Uniform();
    ASSERT_TRUE(u >= 0 && u < 1);
  }
  EXPECT_NEAR(sum / 20000, 2, 0.05);
  EXPECT_NEAR(poisson / 20000, 3.5, 0.08);
}

// The writer's own time formatting is byte-for-byte FormatIsoTime's, across
// days (its date cache), the epoch, leap days and every millisecond field.
TEST(DemoWriterTest, AppendIsoTimeIsFormatIsoTime) {
  std::vector<TimeMs> times = {0,
                               999,
                               kMsPerDay - 1,
                               *ParseIsoTime("2025-12-01T00:00:00.000Z"),
                               *ParseIsoTime("2028-02-29T23:59:59.999Z"),
                               *ParseIsoTime("2030-11-30T09:05:07.045Z")};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i)
    times.push_back(static_cast<TimeMs>(rng() % (200ULL * 365 * kMsPerDay)));
  for (const TimeMs t : times) {
    std::string s = "x";
    AppendIsoTime(s, t);
    ASSERT_EQ(s, "x" + FormatIsoTime(t)) << t;
  }
  std::string s;
  AppendIsoTime(s, *ParseIsoTime("2026-03-09T14:30:00.007Z"));
  EXPECT_EQ(s, "2026-03-09T14:30:00.007Z");
}

TEST(DemoWriterTest, TrackLineWithOneProperty) {
  const TimeMs at = *ParseIsoTime("2026-01-05T10:00:00.000Z");
  EXPECT_EQ(
      TrackLine("d0000000001", "acme_u1", false, "acme", "Feature Used", at, "feature", "reports"),
      R"({"type":"track","messageId":"d0000000001","userId":"acme_u1",)"
      R"("event":"Feature Used","properties":{"feature":"reports"},)"
      R"("context":{"groupId":"acme"},"timestamp":"2026-01-05T10:00:00.000Z"})");
  EXPECT_EQ(TrackLine("m", "svc", true, "a", "E\"", at, "k", "v\n"),
            R"({"type":"track","messageId":"m","anonymousId":"svc","event":"E\"",)"
            R"("properties":{"k":"v\n"},"context":{"groupId":"a"},)"
            R"("timestamp":"2026-01-05T10:00:00.000Z"})");
}

// One source of truth for the SPEC 2 example rules: the demo config is its
// server/storage keys followed by examples/spec2-rules.yaml, byte for byte.
TEST(DemoConfigTest, RulesAreExamplesSpec2RulesYaml) {
  const std::string rules =
      ReadFile(std::string(HEADROOM_SOURCE_DIR) + "/examples/spec2-rules.yaml");
  ASSERT_GT(rules.size(), 1000u);
  const std::string yaml = DemoConfigYaml("/tmp/demo data");
  ASSERT_TRUE(yaml.ends_with(rules));
  EXPECT_NE(yaml.find("  path: \"/tmp/demo data\"\n"), std::string::npos);
  const ConfigLoadResult demo = LoadConfig(yaml);
  ASSERT_TRUE(demo.config) << demo.errors.front().ToString();
  EXPECT_EQ(demo.config->server.write_keys, std::vector<std::string>{"wk_demo"});
  EXPECT_EQ(demo.config->server.api_tokens, std::vector<std::string>{"tok_demo"});
  EXPECT_EQ(demo.config->storage.path, "/tmp/demo data");
  EXPECT_EQ(demo.config->triggers.size(), 4u);
  EXPECT_EQ(demo.config->metrics.size(), 9u);
  // The rules file alone is a valid config (for import and the query commands).
  const ConfigLoadResult alone = LoadConfig(rules);
  ASSERT_TRUE(alone.config) << alone.errors.front().ToString();
  EXPECT_EQ(alone.config->triggers.size(), 4u);
  EXPECT_EQ(alone.config->routing.ae_at, 70);
}

// The shared company was generated by whichever test process ran first (or an
// earlier run of this binary): generating it again here must give the same bytes.
TEST(DemoGeneratorTest, SameSeedSameBytes) {
  DemoParams p;
  p.accounts = kAccounts;
  p.months = kMonths;
  p.seed = 42;
  DemoStats s1;
  const std::string a = Generate(p, &s1);
  EXPECT_EQ(s1.bytes, a.size());
  EXPECT_EQ(s1.fnv1a, Fnv1a(a));
  EXPECT_EQ(s1.lines, Lines(a).size());
  EXPECT_TRUE(a == Shared().text);
  // Another seed, another company (a small one: only the difference matters).
  p.accounts = 8;
  p.months = 1;
  DemoStats s11, s12;
  const std::string b = Generate(p, &s11);
  p.seed = 43;
  Generate(p, &s12);
  EXPECT_NE(s11.fnv1a, s12.fnv1a);
  p.seed = 42;
  EXPECT_TRUE(Generate(p) == b);
}

TEST(DemoGeneratorTest, LinesAreInTimeOrderAndParse) {
  const std::string& text = Shared().text;
  InputParser parser;
  TimeMs last = 0;
  for (std::string_view line : Lines(text)) {
    Result<Input> in = parser.Parse(line);
    ASSERT_TRUE(in) << in.error().ToString() << ": " << line;
    ASSERT_GE(in->time, last) << line;
    last = in->time;
  }
}

// The shared company (Shared()): its text and what the real import stored.
class DemoImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    text_ = &Shared().text;
    firings_ = &Shared().firings;
    signals_ = &Shared().signals;
  }
  static inline const std::string* text_ = nullptr;
  static inline const std::vector<nlohmann::json>* firings_ = nullptr;
  static inline const std::vector<nlohmann::json>* signals_ = nullptr;
};

TEST_F(DemoImportTest, WeekdaysAreBusierThanWeekends) {
  std::map<std::string, int> per_day;  // "YYYY-MM-DD" -> events
  for (std::string_view line : Lines(*text_))
    if (IsEvent(line)) ++per_day[std::string(Field(line, "timestamp").substr(0, 10))];
  double weekday = 0, weekend = 0;
  int weekdays = 0, weekends = 0;
  for (const auto& [date, n] : per_day) {
    const Day d = DayOf(*ParseIsoTime(date));
    const bool is_weekend = (d + 3) % 7 >= 5;  // 1970-01-01 was a Thursday
    (is_weekend ? weekend : weekday) += n;
    ++(is_weekend ? weekends : weekdays);
  }
  ASSERT_GT(weekends, 10);
  EXPECT_GE(weekday / weekdays, 2.0 * weekend / weekends);
}

// Utilization per account and calendar month = distinct users with an event
// that month / contracted seats at the end of the month. Its median over the
// accounts rises from the first month to the last, and a share of accounts
// end the data at or above 80% of their seats.
TEST_F(DemoImportTest, SeatsFillTowardContractLimits) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> users;  // month, account
  std::map<std::string, std::vector<std::pair<std::string, double>>>
      seats;  // account, (time, seats)
  for (std::string_view line : Lines(*text_)) {
    if (IsEvent(line)) {
      const std::string_view user = Field(line, "userId");
      if (user.empty()) continue;  // service traffic (anonymousId)
      users[std::string(Field(line, "timestamp").substr(0, 7))][std::string(Field(line, "groupId"))]
          .insert(std::string(user));
    } else if (line.starts_with(R"({"type":"contract")")) {
      const auto j = nlohmann::json::parse(line);
      seats[j["account_id"]].emplace_back(j["timestamp"], j["limits"]["seats"].get<double>());
    }
  }
  auto median_util = [&](const std::string& month, double* share_at_80) {
    std::vector<double> u;
    const std::string month_end = month + "-32";  // sorts after every day of the month
    for (const auto& [account, set] : users[month]) {
      double s = 0;
      for (const auto& [t, v] : seats[account])
        if (t < month_end) s = v;
      if (s > 0) u.push_back(static_cast<double>(set.size()) / s);
    }
    std::sort(u.begin(), u.end());
    if (share_at_80)
      *share_at_80 = static_cast<double>(
                         std::count_if(u.begin(), u.end(), [](double x) { return x >= 0.8; })) /
                     static_cast<double>(u.size());
    return u.empty() ? 0.0 : u[u.size() / 2];
  };
  ASSERT_GE(users.size(), 4u);
  const double first = median_util(users.begin()->first, nullptr);
  double share = 0;
  const double last = median_util(std::prev(users.end())->first, &share);
  EXPECT_GT(last, first + 0.03) << "first month " << first << ", last " << last;
  EXPECT_GE(share, 0.1);
}

TEST_F(DemoImportTest, EveryTriggerClassFiresOnAtLeastFivePercentOfAccounts) {
  std::map<std::string, std::set<std::string>> accounts_by_class, accounts_by_trigger;
  for (const auto& f : *firings_) {
    accounts_by_class[f["class"]].insert(f["account_id"].get<std::string>());
    accounts_by_trigger[f["trigger"]].insert(f["account_id"].get<std::string>());
  }
  for (const char* cls : {"capacity", "adoption", "value"})
    EXPECT_GE(accounts_by_class[cls].size(), kAccounts * 5 / 100 + 1) << cls;
  for (const char* t : {"seat_capacity", "second_workspace", "workflow_value", "paywall_repeat"})
    EXPECT_GE(accounts_by_trigger[t].size(), 3u) << t;
  // The simulated sales team worked real signals: touches and opportunities landed.
  int touched = 0, with_opportunity = 0;
  for (const auto& s : *signals_) {
    touched += s["first_touch_at"].is_null() ? 0 : 1;
    with_opportunity += s["opportunity_id"].is_null() ? 0 : 1;
  }
  EXPECT_GT(touched, 0);
  EXPECT_GT(with_opportunity, 0);
}

// Precision of a trigger, by hand: of its firings f (every episode, from the
// store) whose 60 days end inside the data, the share with an upgrade u of the same account with
// f.fired_at < u <= f.fired_at + 60 days, where an upgrade is a revenue record
// whose mrr is higher than the account's previous revenue record's mrr, which
// was > 0 (SPEC 4). seat_capacity is planted to convert; the others are not.
TEST_F(DemoImportTest, PlantedTriggerPredictsUpgrades) {
  std::map<std::string, std::vector<TimeMs>> upgrades;
  std::map<std::string, double> mrr;
  for (std::string_view line : Lines(*text_)) {
    if (!line.starts_with(R"({"type":"revenue")")) continue;
    const auto j = nlohmann::json::parse(line);
    const std::string account = j["account_id"];
    const double m = j["mrr"];
    if (mrr.count(account) && mrr[account] > 0 && m > mrr[account])
      upgrades[account].push_back(*ParseIsoTime(j["at"].get<std::string>()));
    mrr[account] = m;
  }
  // Only firings whose whole 60-day horizon lies inside the data count.
  TimeMs end = 0;
  for (std::string_view line : Lines(*text_))
    if (const auto t = Field(line, "timestamp"); !t.empty()) end = std::max(end, *ParseIsoTime(t));
  std::map<std::string, std::pair<int, int>> hits;  // trigger -> (converted, firings)
  for (const auto& f : *firings_) {
    const TimeMs at = *ParseIsoTime(f["fired_at"].get<std::string>());
    if (at > end - 60 * kMsPerDay) continue;
    bool converted = false;
    for (const TimeMs u : upgrades[f["account_id"]])
      converted |= u > at && u <= at + 60 * kMsPerDay;
    auto& h = hits[f["trigger"]];
    h.first += converted ? 1 : 0;
    ++h.second;
  }
  auto precision = [&](const std::string& t) {
    const auto& h = hits[t];
    return h.second ? static_cast<double>(h.first) / h.second : 0.0;
  };
  const double seat = precision("seat_capacity");
  for (const auto& [t, h] : hits)
    std::cout << t << ": " << h.first << " of " << h.second << " firings followed by an upgrade\n";
  ASSERT_GE(hits["seat_capacity"].second, 5);
  EXPECT_GE(seat, 0.4);
  for (const char* t : {"second_workspace", "workflow_value", "paywall_repeat"}) {
    EXPECT_GE(seat, 2 * precision(t))
        << t << " precision " << precision(t) << " vs seat_capacity " << seat;
  }
}

}  // namespace
}  // namespace headroom::demo

namespace headroom::demo {
namespace {

// Not a check: times the default company (docs/PERFORMANCE.md "Demo"). Run with
//   build/demo_tests --gtest_also_run_disabled_tests --gtest_filter='*DefaultCompany*'
// Writes to a discarding stream, so it measures generation (and the engine the
// simulated sales team drives), not the disk.
TEST(DemoBench, DISABLED_DefaultCompany) {
  struct NullBuf : std::streambuf {
    int overflow(int c) override { return c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
  } null_buf;
  std::ostream out(&null_buf);
  const DemoParams p;  // 500 accounts, 12 months, seed 42
  const std::clock_t cpu0 = std::clock();
  const auto wall0 = std::chrono::steady_clock::now();
  const DemoStats s = GenerateDemo(p, out);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf(
      "accounts %d months %d seed %llu: %llu lines (%llu events, %llu records), %llu bytes, "
      "fnv1a %016llx; %llu signals, %llu touches, %llu opportunities, %llu won, %llu upgrades, "
      "%llu churned\nwall %.2f s, cpu %.2f s, %.0f lines per cpu second\n",
      p.accounts, p.months, static_cast<unsigned long long>(p.seed),
      static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.events),
      static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.bytes),
      static_cast<unsigned long long>(s.fnv1a), static_cast<unsigned long long>(s.signals),
      static_cast<unsigned long long>(s.touches), static_cast<unsigned long long>(s.opportunities),
      static_cast<unsigned long long>(s.won), static_cast<unsigned long long>(s.upgrades),
      static_cast<unsigned long long>(s.churned), wall, cpu, static_cast<double>(s.lines) / cpu);
  EXPECT_EQ(s.lines, 2584678u);
}

}  // namespace
}  // namespace headroom::demo
