#include "delivery/outbox.h"

#include <map>

namespace headroom {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox(
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  effect_id       TEXT    NOT NULL,
  endpoint_index  INTEGER NOT NULL,
  endpoint_url    TEXT    NOT NULL,
  webhook_id      TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  account_id      TEXT    NOT NULL,
  effect_at       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_attempt_at INTEGER,
  last_status     INTEGER,
  last_error      TEXT,
  delivered_at    INTEGER,
  body            TEXT    NOT NULL DEFAULT '',
  UNIQUE(effect_id, endpoint_index, endpoint_url));
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(endpoint_index, next_attempt_at)
  WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_dead ON outbox(last_attempt_at) WHERE state = 'dead';
)sql";

constexpr const char* kColumns =
    "id, effect_id, endpoint_index, endpoint_url, webhook_id, type, account_id, effect_at, "
    "created_at, state, attempts, next_attempt_at, last_attempt_at, last_status, last_error, "
    "delivered_at, body";

std::string Select(const std::string& rest) {
  return std::string("SELECT ") + kColumns + " FROM outbox " + rest;
}

std::optional<int64_t> OptInt(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return s.Int(col);
}

OutboxRow ReadRow(const Statement& s) {
  OutboxRow r;
  r.id = s.Int(0);
  r.effect_id = std::string(s.Text(1));
  r.endpoint_index = static_cast<int>(s.Int(2));
  r.endpoint_url = std::string(s.Text(3));
  r.webhook_id = std::string(s.Text(4));
  r.type = std::string(s.Text(5));
  r.account_id = std::string(s.Text(6));
  r.effect_at = s.Int(7);
  r.created_at = s.Int(8);
  r.state = std::string(s.Text(9));
  r.attempts = static_cast<int>(s.Int(10));
  r.next_attempt_at = OptInt(s, 11);
  r.last_attempt_at = OptInt(s, 12);
  if (auto st = OptInt(s, 13)) r.last_status = static_cast<int>(*st);
  if (!s.IsNull(14)) r.last_error = std::string(s.Text(14));
  r.delivered_at = OptInt(s, 15);
  r.body = std::string(s.Text(16));
  return r;
}

}  // namespace

struct Outbox::Statements {
  explicit Statements(Database& db)
      : insert(db,
               "INSERT OR IGNORE INTO outbox(effect_id, endpoint_index, endpoint_url, webhook_id, "
               "type, account_id, effect_at, created_at, state, attempts, next_attempt_at, body) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)"),
        due(db, Select("WHERE state = 'pending' AND endpoint_index = ?1 AND endpoint_url = ?2 "
                       "AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?4")),
        delivered(db,
                  "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, "
                  "last_attempt_at = ?2, last_status = ?3, delivered_at = ?2, "
                  "next_attempt_at = NULL WHERE id = ?1 AND state = 'pending'"),
        retry(db,
              "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?2, last_status = ?3, "
              "last_error = ?4, next_attempt_at = ?5 WHERE id = ?1 AND state = 'pending'"),
        dead(db,
             "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_attempt_at = ?2, "
             "last_status = ?3, last_error = ?4, next_attempt_at = NULL "
             "WHERE id = ?1 AND state = 'pending'"),
        get(db, Select("WHERE id = ?1")),
        list_dead(db, Select("WHERE state = 'dead' ORDER BY last_attempt_at DESC, id DESC "
                             "LIMIT ?1")),
        requeue(db,
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?2 "
                "WHERE id = ?1 AND state = 'dead'"),
        stats(db,
              "SELECT endpoint_index, endpoint_url, state, attempts > 0, count(*) FROM outbox "
              "GROUP BY endpoint_index, endpoint_url, state, attempts > 0"),
        last_error(db,
                   "SELECT endpoint_index, endpoint_url, last_error, max(last_attempt_at) "
                   "FROM outbox WHERE last_error IS NOT NULL "
                   "GROUP BY endpoint_index, endpoint_url"),
        next_due(db, "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'") {}
  Statement insert, due, delivered, retry, dead, get, list_dead, requeue, stats, last_error,
      next_due;
};

Outbox::Outbox(Database& db) : db_(db) {
  db_.Exec(kSchema);
  st_ = std::make_unique<Statements>(db_);
}

Outbox::~Outbox() = default;

bool Outbox::Insert(const OutboxRow& row) {
  Statement& s = st_->insert;
  Statement::Use use(s);
  s.Bind(1, std::string_view(row.effect_id));
  s.Bind(2, static_cast<int64_t>(row.endpoint_index));
  s.Bind(3, std::string_view(row.endpoint_url));
  s.Bind(4, std::string_view(row.webhook_id));
  s.Bind(5, std::string_view(row.type));
  s.Bind(6, std::string_view(row.account_id));
  s.Bind(7, row.effect_at);
  s.Bind(8, row.created_at);
  s.Bind(9, std::string_view(row.state));
  if (row.next_attempt_at)
    s.Bind(10, *row.next_attempt_at);
  else
    s.BindNull(10);
  s.Bind(11, std::string_view(row.body));
  s.Run();
  return db_.Changes() > 0;
}

std::vector<OutboxRow> Outbox::Due(int endpoint_index, const std::string& url, TimeMs now,
                                   int64_t limit) {
  Statement& s = st_->due;
  Statement::Use use(s);
  s.Bind(1, static_cast<int64_t>(endpoint_index));
  s.Bind(2, std::string_view(url));
  s.Bind(3, now);
  s.Bind(4, limit);
  std::vector<OutboxRow> out;
  while (s.Step()) out.push_back(ReadRow(s));
  return out;
}

void Outbox::Record(const AttemptResult& r, std::optional<TimeMs> next_delay) {
  Statement& s = r.ok ? st_->delivered : next_delay ? st_->retry : st_->dead;
  Statement::Use use(s);
  s.Bind(1, r.id);
  s.Bind(2, r.at);
  if (r.status)
    s.Bind(3, static_cast<int64_t>(*r.status));
  else
    s.BindNull(3);
  if (!r.ok) s.Bind(4, std::string_view(r.error));
  if (!r.ok && next_delay) s.Bind(5, r.at + *next_delay);
  s.Run();
}

std::optional<OutboxRow> Outbox::Get(int64_t id) {
  Statement& s = st_->get;
  Statement::Use use(s);
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadRow(s);
}

std::vector<OutboxRow> Outbox::Dead(int64_t limit) {
  Statement& s = st_->list_dead;
  Statement::Use use(s);
  s.Bind(1, limit);
  std::vector<OutboxRow> out;
  while (s.Step()) out.push_back(ReadRow(s));
  return out;
}

bool Outbox::Requeue(int64_t id, TimeMs now) {
  Statement& s = st_->requeue;
  Statement::Use use(s);
  s.Bind(1, id);
  s.Bind(2, now);
  s.Run();
  return db_.Changes() > 0;
}

std::vector<EndpointStats> Outbox::Stats() {
  std::map<std::pair<int, std::string>, EndpointStats> by;
  {
    Statement& s = st_->stats;
    Statement::Use use(s);
    while (s.Step()) {
      const int index = static_cast<int>(s.Int(0));
      std::string url(s.Text(1));
      EndpointStats& e = by[{index, url}];
      e.index = index;
      e.url = url;
      const std::string_view state = s.Text(2);
      const bool attempted = s.Int(3) != 0;
      const int64_t n = s.Int(4);
      if (state == "pending")
        (attempted ? e.retrying : e.pending) += n;
      else if (state == "delivered")
        e.delivered += n;
      else if (state == "dead")
        e.dead += n;
      else if (state == "skipped")
        e.skipped += n;
    }
  }
  {
    Statement& s = st_->last_error;
    Statement::Use use(s);
    while (s.Step()) {
      auto it = by.find({static_cast<int>(s.Int(0)), std::string(s.Text(1))});
      if (it == by.end()) continue;
      it->second.last_error = std::string(s.Text(2));
      it->second.last_error_at = OptInt(s, 3);
    }
  }
  std::vector<EndpointStats> out;
  for (auto& [key, e] : by) out.push_back(std::move(e));
  return out;
}

std::optional<TimeMs> Outbox::NextDue() {
  Statement& s = st_->next_due;
  Statement::Use use(s);
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Int(0);
}

nlohmann::json OutboxRowJson(const OutboxRow& r) {
  auto time = [](const std::optional<TimeMs>& t) -> nlohmann::json {
    if (!t) return nullptr;
    return FormatIsoTime(*t);
  };
  return {{"id", r.id},
          {"webhook_id", r.webhook_id},
          {"effect_id", r.effect_id},
          {"type", r.type},
          {"account_id", r.account_id},
          {"endpoint", {{"index", r.endpoint_index}, {"url", r.endpoint_url}}},
          {"state", r.state},
          {"attempts", r.attempts},
          {"effect_at", FormatIsoTime(r.effect_at)},
          {"created_at", FormatIsoTime(r.created_at)},
          {"next_attempt_at", time(r.next_attempt_at)},
          {"last_attempt_at", time(r.last_attempt_at)},
          {"last_status", r.last_status ? nlohmann::json(*r.last_status) : nlohmann::json()},
          {"last_error", r.last_error ? nlohmann::json(*r.last_error) : nlohmann::json()},
          {"delivered_at", time(r.delivered_at)}};
}

}  // namespace headroom
