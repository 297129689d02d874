// Shared fixtures of the delivery tests: a temporary data directory, configs
// from YAML, a fake clock and hand-made effects.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "config/loader.h"
#include "engine/views.h"

namespace headroom::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("headroom-delivery-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline constexpr const char* kRulesYaml = R"(
metrics:
  active_users: { distinct: user, window: 30d }
  workspaces:   { distinct: workspace_id, event: "Workspace Created", window: all }
triggers:
  seat_capacity: { class: capacity, metric: active_users, limit: seats, at: 0.8, sustained_days: 3, buffer: 0.15 }
  second_workspace: { class: adoption, metric: workspaces, at: 2 }
score:
  committee: { max: 20, criteria: [] }
)";

inline constexpr const char* kSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

inline Config LoadTestConfig(const std::string& yaml) {
  ConfigLoadResult r = LoadConfig(std::string(kRulesYaml) + yaml);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return std::move(*r.config);
}

// A config with one json endpoint (signed) at `url` and the given delivery block.
inline Config JsonEndpointConfig(const std::string& url, const std::string& delivery = "") {
  return LoadTestConfig("webhooks:\n  - { url: \"" + url + "\", format: json, secret: \"" +
                        kSecret + "\", events: [\"*\"] }\n" + delivery);
}

struct FakeClock {
  TimeMs now = 1'773'316'800'000;  // 2026-03-12T12:00:00.000Z
  std::function<TimeMs()> fn() {
    return [this] { return now; };
  }
};

inline Effect MakeEffect(const std::string& type, const std::string& subject, TimeMs at,
                         const std::string& account = "acme") {
  Effect e;
  e.type = type;
  e.id = type + ":" + subject + ":" + FormatIsoTime(at);
  e.at = at;
  e.account_id = account;
  e.data = {{"signal_id", subject}, {"account_id", account}, {"score", 80}};
  return e;
}

}  // namespace headroom::testing
