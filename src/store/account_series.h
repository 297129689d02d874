// AccountSeries: the daily history behind the dashboard's sparklines (issue 6).
// One row per account per UTC midnight the engine evaluated: the account's
// score and config metric values right after that midnight's evaluation.
//
// Contract:
// * Table `account_series(day, account_id, score, metrics)` in the Store's
//   file (docs/STORE.md), created IF NOT EXISTS by the constructor. `day` is
//   the UTC day number (days since 1970-01-01) whose midnight (00:00:00.000Z)
//   was evaluated; `metrics` is the JSON object {metric name: value} of the
//   engine's account view (SPEC 6.3 "metrics").
// * Written by the ingest path (ingest/series_recorder.h) inside the ingest
//   transaction; Put is an upsert, so a replay rewriting a midnight is a no-op.
// * Same threading rules as the Store whose connection it uses: one thread.
// * Errors: StoreError (SQLite failures), as everywhere in src/store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "store/sqlite.h"

namespace headroom {

class AccountSeries {
 public:
  explicit AccountSeries(Database& db);
  ~AccountSeries();
  AccountSeries(const AccountSeries&) = delete;
  AccountSeries& operator=(const AccountSeries&) = delete;

  // True when the constructor created the table (a store written before the
  // table existed: its history has no rows yet).
  bool created() const { return created_; }

  // Upserts the point of `account_id` at midnight `day`.
  void Put(Day day, std::string_view account_id, double score, std::string_view metrics_json);
  // Deletes every row (before a rebuild).
  void Clear();

  struct Point {
    Day day = 0;
    double score = 0;
    std::string metrics;  // the JSON object text as stored
  };
  // The stored points of `account_id` with from <= day <= to, oldest first.
  std::vector<Point> Read(std::string_view account_id, Day from, Day to);

 private:
  Database& db_;
  bool created_ = false;
  Statement put_;
  Statement read_;
};

}  // namespace headroom
