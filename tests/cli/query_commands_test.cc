#include "cli/query_commands.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <sstream>

#include <unistd.h>

namespace headroom {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Summary(const std::string& id, const std::string& name, double score, const std::string& route,
             json parts, json triggers, json suppressed) {
  return {{"account_id", id},
          {"name", name},
          {"score", score},
          {"parts", std::move(parts)},
          {"route", route},
          {"suppressed_by", std::move(suppressed)},
          {"active_triggers", std::move(triggers)},
          {"owners", {{"ae", "alice"}, {"csm", nullptr}}},
          {"evaluated_at", "2026-03-20T00:00:00.000Z"}};
}

json Parts(double firmo, double cap, double adopt, double value, double committee) {
  return {{"firmographic", firmo},
          {"usage", {{"capacity", cap}, {"adoption", adopt}, {"value", value}}},
          {"committee", committee}};
}

json SignalDoc(const std::string& id, const std::string& account, const std::string& status,
               const std::string& owner, const std::string& created, json first_touch) {
  return {
      {"signal_id", id},
      {"account_id", account},
      {"route", "ae"},
      {"owner", owner},
      {"status", status},
      {"close_reason", status == "won" ? json("won") : json(nullptr)},
      {"score", 72},
      {"motion", "transactional"},
      {"triggers", {"seat_capacity"}},
      {"created_at", created},
      {"routed_at", nullptr},
      {"touch_due", "2026-03-21T00:00:00.000Z"},
      {"first_touch_at", std::move(first_touch)},
      {"touched_within_sla", nullptr},
      {"escalated_at", nullptr},
      {"escalated_to", json::array()},
      {"opportunity_id", nullptr},
      {"closed_at", status == "won" ? json("2026-04-02T09:30:00.000Z") : json(nullptr)},
      {"amount", nullptr},
      {"credit", json::object()},
      {"history", {{{"at", created}, {"change", "created"}, {"route", "ae"}, {"owner", owner}}}}};
}

json FiringDoc(const std::string& account, const std::string& trigger, const std::string& cls,
               const std::string& fired, json urgent, json ended) {
  return {{"account_id", account},
          {"trigger", trigger},
          {"class", cls},
          {"fired_at", fired},
          {"urgent_at", std::move(urgent)},
          {"ended_at", std::move(ended)}};
}

class QueryCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("headroom-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    store_ = Store::Open(dir_.string(), "normal");
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Fill() {
    acme_ = Summary("acme", "Acme Inc", 72, "ae", Parts(20, 25, 15, 7, 5),
                    {"api_growth", "seat_capacity"}, json::array());
    globex_ = Summary("globex", "Globex", 72, "csm", Parts(10, 30, 20, 2, 10), {"seat_capacity"},
                      json::array());
    initech_ = Summary("initech", "Initech", 12.5, "suppressed", Parts(12.5, 0, 0, 0, 0),
                       json::array(), {"sev1_ticket", "trait:do_not_contact"});
    json detail = acme_;
    detail["evidence"] = {{"firmographic",
                           {{{"name", "employees"},
                             {"value", 250},
                             {"threshold", 100},
                             {"points", 20},
                             {"holds", true}},
                            {{"name", "industry"},
                             {"value", "retail"},
                             {"threshold", "saas"},
                             {"points", 0},
                             {"holds", false}}}},
                          {"usage",
                           {{{"name", "seat_capacity"},
                             {"value", 0.92},
                             {"threshold", 0.8},
                             {"points", 25},
                             {"holds", true}}}},
                          {"committee", json::array()},
                          {"triggers",
                           {{{"name", "api_growth"},
                             {"value", 3.5},
                             {"threshold", 2},
                             {"points", nullptr},
                             {"holds", true},
                             {"fired_at", "2026-03-18T00:00:00.000Z"}}}}};
    detail["metrics"] = {{"active_users", 42}, {"seats_used", 46}, {"plan_name", nullptr}};
    detail["contract"] = {{"plan", "pro"},
                          {"arr", 12000},
                          {"start", "2025-06-01T00:00:00.000Z"},
                          {"end", nullptr},
                          {"renewal_status", "none"},
                          {"limits", {{"seats", 50}}}};
    detail["signal"] =
        SignalDoc("acme:1", "acme", "open", "alice", "2026-03-20T00:00:00.000Z", nullptr);
    acme_detail_ = detail;
    // Stored out of order; the store sorts.
    store_->PutAccount("initech", 12.5, "suppressed", initech_, initech_);
    store_->PutAccount("globex", 72, "csm", globex_, globex_);
    store_->PutAccount("acme", 72, "ae", acme_, acme_detail_);

    sig_won_ = SignalDoc("globex:1", "globex", "won", "bob", "2026-03-01T12:00:00.000Z",
                         "2026-03-01T15:45:00.000Z");
    sig_open_ = acme_detail_["signal"];
    store_->PutSignal("acme:1", "acme", "open", "alice", 1'773'964'800'000, sig_open_);
    store_->PutSignal("globex:1", "globex", "won", "bob", 1'772'366'400'000, sig_won_);

    fire1_ = FiringDoc("acme", "seat_capacity", "capacity", "2026-03-10T00:00:00.000Z",
                       "2026-03-17T00:00:00.000Z", nullptr);
    fire2_ = FiringDoc("acme", "api_growth", "adoption", "2026-03-18T00:00:00.000Z", nullptr,
                       "2026-03-19T00:00:00.000Z");
    store_->PutFiring("acme", "api_growth", 1'773'792'000'000, fire2_);
    store_->PutFiring("acme", "seat_capacity", 1'773'100'800'000, fire1_);
  }

  CliOptions Options(std::string command, bool as_json,
                     std::map<std::string, std::string> flags = {},
                     std::vector<std::string> args = {}) {
    CliOptions o;
    o.command = std::move(command);
    o.json = as_json;
    o.flags = std::move(flags);
    o.args = std::move(args);
    return o;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  json acme_, globex_, initech_, acme_detail_, sig_won_, sig_open_, fire1_, fire2_;
  std::ostringstream out_, err_;
};

TEST_F(QueryCommandsTest, AccountsJsonIsTheStoredSummariesInRankOrder) {
  Fill();
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", true), out_, err_), 0);
  EXPECT_EQ(json::parse(out_.str()), json::array({acme_, globex_, initech_}));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(QueryCommandsTest, AccountsJsonWithRouteAndLimit) {
  Fill();
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", true, {{"route", "csm"}}), out_, err_),
            0);
  EXPECT_EQ(json::parse(out_.str()), json::array({globex_}));
  std::ostringstream limited;
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", true, {{"limit", "1"}}), limited, err_),
            0);
  EXPECT_EQ(json::parse(limited.str()), json::array({acme_}));
}

TEST_F(QueryCommandsTest, AccountsTable) {
  Fill();
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", false), out_, err_), 0);
  EXPECT_EQ(out_.str(),
            "RANK  ACCOUNT  NAME      SCORE  FIRMO  CAP  ADOPT  VALUE  COMMITTEE  ROUTE       "
            "TRIGGERS                   SUPPRESSED\n"
            "   1  acme     Acme Inc     72     20   25     15      7          5  ae          "
            "api_growth, seat_capacity  -\n"
            "   2  globex   Globex       72     10   30     20      2         10  csm         "
            "seat_capacity              -\n"
            "   3  initech  Initech    12.5   12.5    0      0      0          0  suppressed  -    "
            "                      sev1_ticket, trait:do_not_contact\n");
}

TEST_F(QueryCommandsTest, EmptyResults) {
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", false), out_, err_), 0);
  ASSERT_EQ(RunSignalsCommand(*store_, Options("signals", false), out_, err_), 0);
  ASSERT_EQ(RunFiringsCommand(*store_, Options("firings", false), out_, err_), 0);
  EXPECT_EQ(out_.str(), "no accounts\nno signals\nno firings\n");
  std::ostringstream js;
  ASSERT_EQ(RunAccountsCommand(*store_, Options("accounts", true), js, err_), 0);
  ASSERT_EQ(RunSignalsCommand(*store_, Options("signals", true), js, err_), 0);
  ASSERT_EQ(RunFiringsCommand(*store_, Options("firings", true), js, err_), 0);
  EXPECT_EQ(js.str(), "[]\n[]\n[]\n");
}

TEST_F(QueryCommandsTest, BadFlagValuesAreUsageErrors) {
  Fill();
  EXPECT_EQ(RunAccountsCommand(*store_, Options("accounts", false, {{"limit", "0"}}), out_, err_),
            2);
  EXPECT_EQ(RunAccountsCommand(*store_, Options("accounts", false, {{"limit", "5x"}}), out_, err_),
            2);
  EXPECT_EQ(
      RunAccountsCommand(*store_, Options("accounts", false, {{"route", "sales"}}), out_, err_), 2);
  EXPECT_EQ(
      RunSignalsCommand(*store_, Options("signals", false, {{"status", "closed"}}), out_, err_), 2);
  EXPECT_EQ(RunAccountCommand(*store_, Options("account", false), out_, err_), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "--limit: must be a positive integer, not '0'\n"
            "--limit: must be a positive integer, not '5x'\n"
            "--route: must be one of ae, csm, nurture, suppressed, not 'sales'\n"
            "--status: must be one of open, opportunity, won, lost, expired, suppressed, not "
            "'closed'\n"
            "account: missing account ID (usage: headroom account ID)\n");
}

TEST_F(QueryCommandsTest, AccountJsonIsTheDetailObject) {
  Fill();
  ASSERT_EQ(RunAccountCommand(*store_, Options("account", true, {}, {"acme"}), out_, err_), 0);
  EXPECT_EQ(json::parse(out_.str()), acme_detail_);
}

TEST_F(QueryCommandsTest, UnknownAccountIsNotFound) {
  Fill();
  EXPECT_EQ(RunAccountCommand(*store_, Options("account", true, {}, {"nope"}), out_, err_), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "account 'nope' not found\n");
}

TEST_F(QueryCommandsTest, AccountExplanation) {
  Fill();
  ASSERT_EQ(RunAccountCommand(*store_, Options("account", false, {}, {"acme"}), out_, err_), 0);
  EXPECT_EQ(out_.str(),
            "Acme Inc (acme): score 72, route ae\n"
            "  suppressed by  -\n"
            "  triggers       api_growth, seat_capacity\n"
            "  owners         ae: alice, csm: -\n"
            "  evaluated      2026-03-20 00:00\n"
            "\n"
            "parts\n"
            "  firmographic  20\n"
            "  capacity      25\n"
            "  adoption      15\n"
            "  value          7\n"
            "  committee      5\n"
            "\n"
            "evidence\n"
            "  firmographic\n"
            "    NAME       VALUE   THRESHOLD  POINTS  HOLDS\n"
            "    employees  250     100            20  yes\n"
            "    industry   retail  saas            0  no\n"
            "  usage\n"
            "    NAME           VALUE  THRESHOLD  POINTS  HOLDS\n"
            "    seat_capacity   0.92        0.8      25  yes\n"
            "  committee\n"
            "    none\n"
            "  triggers\n"
            "    NAME        VALUE  THRESHOLD  POINTS  HOLDS  FIRED_AT\n"
            "    api_growth    3.5          2  -       yes    2026-03-18 00:00\n"
            "\n"
            "metrics\n"
            "  active_users  42\n"
            "  plan_name      -\n"
            "  seats_used    46\n"
            "\n"
            "contract\n"
            "  plan            pro\n"
            "  arr             12000\n"
            "  start           2025-06-01 00:00\n"
            "  end             -\n"
            "  renewal_status  none\n"
            "  limits          seats: 50\n"
            "\n"
            "signal\n"
            "  signal_id           acme:1\n"
            "  status              open\n"
            "  close_reason        -\n"
            "  route               ae\n"
            "  owner               alice\n"
            "  score               72\n"
            "  motion              transactional\n"
            "  triggers            seat_capacity\n"
            "  created_at          2026-03-20 00:00\n"
            "  routed_at           -\n"
            "  touch_due           2026-03-21 00:00\n"
            "  first_touch_at      -\n"
            "  touched_within_sla  -\n"
            "  escalated_at        -\n"
            "  escalated_to        -\n"
            "  opportunity_id      -\n"
            "  closed_at           -\n"
            "  amount              -\n"
            "  credit              -\n"
            "  history\n"
            "    2026-03-20 00:00  created  owner: alice, route: ae\n");
}

TEST_F(QueryCommandsTest, AccountWithoutContractOrSignal) {
  Fill();
  ASSERT_EQ(RunAccountCommand(*store_, Options("account", false, {}, {"initech"}), out_, err_), 0);
  EXPECT_EQ(out_.str(),
            "Initech (initech): score 12.5, route suppressed\n"
            "  suppressed by  sev1_ticket, trait:do_not_contact\n"
            "  triggers       -\n"
            "  owners         ae: alice, csm: -\n"
            "  evaluated      2026-03-20 00:00\n"
            "\n"
            "parts\n"
            "  firmographic  12.5\n"
            "  capacity         0\n"
            "  adoption         0\n"
            "  value            0\n"
            "  committee        0\n"
            "\n"
            "evidence  none\n"
            "\n"
            "metrics  none\n"
            "\n"
            "contract  none\n"
            "\n"
            "signal  none\n");
}

TEST_F(QueryCommandsTest, SignalsJsonSortedAndFiltered) {
  Fill();
  ASSERT_EQ(RunSignalsCommand(*store_, Options("signals", true), out_, err_), 0);
  EXPECT_EQ(json::parse(out_.str()), json::array({sig_won_, sig_open_}));
  std::ostringstream by_status, by_owner, by_account, none;
  RunSignalsCommand(*store_, Options("signals", true, {{"status", "open"}}), by_status, err_);
  EXPECT_EQ(json::parse(by_status.str()), json::array({sig_open_}));
  RunSignalsCommand(*store_, Options("signals", true, {{"owner", "bob"}}), by_owner, err_);
  EXPECT_EQ(json::parse(by_owner.str()), json::array({sig_won_}));
  RunSignalsCommand(*store_, Options("signals", true, {{"account", "acme"}}), by_account, err_);
  EXPECT_EQ(json::parse(by_account.str()), json::array({sig_open_}));
  RunSignalsCommand(*store_, Options("signals", true, {{"account", "acme"}, {"owner", "bob"}}),
                    none, err_);
  EXPECT_EQ(json::parse(none.str()), json::array());
}

TEST_F(QueryCommandsTest, SignalsTable) {
  Fill();
  ASSERT_EQ(RunSignalsCommand(*store_, Options("signals", false), out_, err_), 0);
  EXPECT_EQ(out_.str(),
            "SIGNAL    ACCOUNT  ROUTE  OWNER  STATUS  SCORE  CREATED           TOUCH_DUE         "
            "FIRST_TOUCH       ESCALATED  CLOSED\n"
            "globex:1  globex   ae     bob    won        72  2026-03-01 12:00  2026-03-21 00:00  "
            "2026-03-01 15:45  -          2026-04-02 09:30\n"
            "acme:1    acme     ae     alice  open       72  2026-03-20 00:00  2026-03-21 00:00  - "
            "                -          -\n");
}

TEST_F(QueryCommandsTest, FiringsJsonSortedAndFiltered) {
  Fill();
  ASSERT_EQ(RunFiringsCommand(*store_, Options("firings", true), out_, err_), 0);
  EXPECT_EQ(json::parse(out_.str()), json::array({fire1_, fire2_}));
  std::ostringstream by_trigger;
  RunFiringsCommand(*store_, Options("firings", true, {{"trigger", "api_growth"}}), by_trigger,
                    err_);
  EXPECT_EQ(json::parse(by_trigger.str()), json::array({fire2_}));
}

TEST_F(QueryCommandsTest, FiringsTable) {
  Fill();
  ASSERT_EQ(RunFiringsCommand(*store_, Options("firings", false), out_, err_), 0);
  EXPECT_EQ(
      out_.str(),
      "ACCOUNT  TRIGGER        CLASS     FIRED             URGENT            ENDED\n"
      "acme     seat_capacity  capacity  2026-03-10 00:00  2026-03-17 00:00  active\n"
      "acme     api_growth     adoption  2026-03-18 00:00  -                 2026-03-19 00:00\n");
}

}  // namespace
}  // namespace headroom
