// Test fixture for the reports: a hand-built NDJSON history imported through
// the real Ingestor into a real Store in a temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "config/loader.h"
#include "ingest/ingestor.h"
#include "reports/reports.h"
#include "store/store.h"

namespace headroom::reports::testing {

class Dataset {
 public:
  Dataset(const std::string& yaml, const std::vector<std::string>& lines) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("headroom-reports-" + std::to_string(rd()));
    ConfigLoadResult r = LoadConfig(yaml);
    EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
    config_ = std::make_unique<Config>(std::move(*r.config));
    store_ = Store::Open(dir_.string(), "normal");
    Ingestor ingestor(*config_, *store_);
    ingestor.Open(false);
    int64_t n = 0;
    for (const auto& line : lines) ingestor.Ingest(line, "test", ++n);
    ingestor.Flush();
  }
  ~Dataset() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Store& store() { return *store_; }
  const Config& config() const { return *config_; }
  ReportContext Context(int horizon_days) {
    return MakeReportContext(*store_, *config_, horizon_days);
  }
  nlohmann::json Report(const std::string& name, int horizon_days) {
    return ComputeReport(name, Context(horizon_days));
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<Store> store_;
};

// {"type":"track","event":E,"userId":U,"context":{"groupId":A},"timestamp":T,"messageId":...}
inline std::string Track(const std::string& event, const std::string& account,
                         const std::string& time, const std::string& properties = "{}",
                         const std::string& user = "") {
  static int id = 0;
  return R"({"type":"track","event":")" + event + R"(","userId":")" +
         (user.empty() ? account + "-user" : user) + R"(","context":{"groupId":")" + account +
         R"("},"properties":)" + properties + R"(,"timestamp":")" + time + R"(","messageId":"m)" +
         std::to_string(++id) + R"("})";
}

inline std::string Revenue(const std::string& account, const std::string& at, double mrr,
                           const std::string& plan = "team") {
  return R"({"type":"revenue","account_id":")" + account + R"(","at":")" + at + R"(","mrr":)" +
         std::to_string(mrr) + R"(,"plan":")" + plan + R"("})";
}

// Rules for the reports that read revenue and raw events only: one trivial
// metric and trigger (`ping`), so the engine runs but decides nothing.
inline constexpr const char* kPingRules = R"(
metrics:
  pings: { count: "Ping", window: 1d }
triggers:
  ping: { class: adoption, metric: pings, at: 1 }
)";

inline TimeMs T(const std::string& iso) { return ParseIsoTime(iso).value_or(0); }

}  // namespace headroom::reports::testing
