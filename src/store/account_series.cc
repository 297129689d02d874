#include "store/account_series.h"

namespace headroom {

namespace {

// WITHOUT ROWID with the day first: rows arrive in day order (append-like
// inserts during import); a read looks each day up by its key.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS account_series(
  day        INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  score      REAL NOT NULL,
  metrics    TEXT NOT NULL,
  PRIMARY KEY(day, account_id)) WITHOUT ROWID;
)sql";

bool TableExists(Database& db) {
  Statement s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account_series'");
  Statement::Use use(s);
  return s.Step();
}

bool CreateTable(Database& db) {
  const bool existed = TableExists(db);
  if (!existed) db.Exec(kSchema);
  return !existed;
}

}  // namespace

AccountSeries::AccountSeries(Database& db)
    : db_(db),
      created_(CreateTable(db)),
      put_(db,
           "INSERT OR REPLACE INTO account_series(day, account_id, score, metrics) "
           "VALUES(?1, ?2, ?3, ?4)"),
      read_(db,
            "SELECT day, score, metrics FROM account_series WHERE day = ?1 AND account_id = ?2") {}

AccountSeries::~AccountSeries() = default;

void AccountSeries::Put(Day day, std::string_view account_id, double score,
                        std::string_view metrics_json) {
  Statement::Use use(put_);
  put_.Bind(1, static_cast<int64_t>(day));
  put_.Bind(2, account_id);
  put_.Bind(3, score);
  put_.Bind(4, metrics_json);
  put_.Run();
}

void AccountSeries::Clear() { db_.Exec("DELETE FROM account_series"); }

std::vector<AccountSeries::Point> AccountSeries::Read(std::string_view account_id, Day from,
                                                      Day to) {
  std::vector<Point> out;
  for (Day d = from; d <= to; ++d) {
    Statement::Use use(read_);
    read_.Bind(1, static_cast<int64_t>(d));
    read_.Bind(2, account_id);
    if (read_.Step())
      out.push_back({static_cast<Day>(read_.Int(0)), read_.Double(1), std::string(read_.Text(2))});
  }
  return out;
}

}  // namespace headroom
