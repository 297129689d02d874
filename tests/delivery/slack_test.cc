// The Slack message for fixed signals and firings: exact text, block shape,
// evidence, dashboard link.
#include "delivery/slack.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

nlohmann::json Signal() {
  return nlohmann::json::parse(R"({
    "signal_id": "acme:2", "account_id": "acme", "route": "ae", "owner": "alice",
    "status": "open", "close_reason": null, "score": 82,
    "parts": {"firmographic": 30, "usage": {"capacity": 20, "adoption": 15, "value": 5}, "committee": 12},
    "motion": "transactional", "triggers": ["seat_capacity"],
    "created_at": "2026-03-10T12:00:00.000Z", "routed_at": null,
    "touch_due": "2026-03-12T12:00:00.000Z", "first_touch_at": null,
    "escalated_at": "2026-03-12T12:00:00.000Z", "escalated_to": ["mona", "rita"]})");
}

nlohmann::json Account() {
  return nlohmann::json::parse(R"({
    "account_id": "acme", "name": "Acme <Corp> & Co", "score": 82, "route": "ae",
    "parts": {"firmographic": 30, "usage": {"capacity": 20, "adoption": 15, "value": 5}, "committee": 12},
    "owners": {"ae": "alice", "csm": "carol"}, "active_triggers": ["second_workspace", "seat_capacity"],
    "evidence": {"triggers": [
      {"name": "seat_capacity", "class": "capacity", "value": 0.9666666, "threshold": 0.8,
       "limit": "seats", "sustained_days": 20, "sustained_run_days": 20, "active": true,
       "fired_at": "2026-03-10T12:00:00.000Z", "urgent_at": null},
      {"name": "second_workspace", "class": "adoption", "value": 2, "threshold": 2, "active": true,
       "fired_at": "2026-03-09T09:00:00.000Z", "urgent_at": null}]}})");
}

Effect MakeEffect(const std::string& type, nlohmann::json data) {
  Effect e;
  e.type = type;
  e.at = *ParseIsoTime("2026-03-12T12:00:00Z");
  e.id = type + ":x:" + FormatIsoTime(e.at);
  e.account_id = "acme";
  e.data = std::move(data);
  return e;
}

TEST(Slack, EscalatedSignalMessage) {
  const auto m = SlackMessage(MakeEffect("signal.escalated", Signal()), Account(),
                              "https://headroom.example/");
  EXPECT_EQ(m["text"],
            "PQA signal escalated: no touch within SLA: Acme <Corp> & Co (acme) — score 82, route "
            "ae → alice, touch due 2026-03-12 12:00 UTC, escalated to mona, rita");
  const auto& b = m["blocks"];
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0]["type"], "header");
  EXPECT_EQ(b[0]["text"]["text"], "PQA signal escalated: no touch within SLA: Acme <Corp> & Co");
  EXPECT_EQ(b[1]["text"]["text"],
            "*<https://headroom.example/#/accounts/acme|Acme &lt;Corp&gt; &amp; Co>* (`acme`) · "
            "signal `acme:2` · transactional");
  const auto& f = b[2]["fields"];
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0]["text"], "*Score*\n82 / 100");
  EXPECT_EQ(
      f[1]["text"],
      "*Parts*\nfirmographic 30 · usage 40 (capacity 20, adoption 15, value 5) · committee 12");
  EXPECT_EQ(f[2]["text"], "*Route · owner*\nae · alice");
  EXPECT_EQ(f[3]["text"],
            "*Touch due (SLA)*\n<!date^1773316800^{date_short_pretty} {time}|2026-03-12 12:00 "
            "UTC>");
  EXPECT_EQ(f[4]["text"], "*Escalated to*\nmona, rita");
  EXPECT_EQ(b[3]["text"]["text"],
            "*Active triggers*\n• *seat_capacity* (capacity): 0.97 ≥ 0.8 of limit `seats`, "
            "sustained 20/20 days, fired <!date^1773144000^{date_short_pretty} {time}|2026-03-10 "
            "12:00 UTC>");
  EXPECT_EQ(b[4]["type"], "actions");
  EXPECT_EQ(b[4]["elements"][0]["url"], "https://headroom.example/#/accounts/acme");
  EXPECT_EQ(b[5]["type"], "context");
}

TEST(Slack, TriggerMessageListsTheFiredTriggerFirstWithEvidence) {
  nlohmann::json firing = {{"account_id", "acme"}, {"trigger", "second_workspace"},
                           {"class", "adoption"},  {"fired_at", "2026-03-09T09:00:00.000Z"},
                           {"urgent_at", nullptr}, {"ended_at", nullptr}};
  const auto m = SlackMessage(MakeEffect("trigger.fired", firing), Account(), "http://h:8080");
  EXPECT_EQ(m["text"],
            "Trigger fired: second_workspace on Acme <Corp> & Co (acme) — score 82, route ae → "
            "alice");
  const std::string triggers = m["blocks"][3]["text"]["text"];
  EXPECT_EQ(triggers.find("• *second_workspace* (adoption): 2 ≥ 2"), 18u) << triggers;
  EXPECT_NE(triggers.find("• *seat_capacity*"), std::string::npos);
  EXPECT_EQ(m["blocks"][2]["fields"].size(), 3u);  // no SLA for a firing
}

TEST(Slack, ClosedSignalWithoutAccountDocumentStillReadable) {
  nlohmann::json s = Signal();
  s["status"] = "expired";
  s["close_reason"] = "expired";
  s["escalated_to"] = nullptr;
  const auto m = SlackMessage(MakeEffect("signal.closed", s), std::nullopt, "http://h");
  EXPECT_EQ(m["text"],
            "PQA signal closed: acme (acme) — score 82, route ae → alice, touch due 2026-03-12 "
            "12:00 UTC, closed: expired");
  EXPECT_EQ(m["blocks"][3]["text"]["text"], "*Active triggers*\n• *seat_capacity*");
}

TEST(Slack, AccountIdIsEscapedInTheLink) {
  Effect e = MakeEffect("signal.created", Signal());
  e.account_id = "a b/c";
  const auto m = SlackMessage(e, std::nullopt, "http://h");
  EXPECT_EQ(m["blocks"][4]["elements"][0]["url"], "http://h/#/accounts/a%20b%2Fc");
}

}  // namespace
}  // namespace headroom
