#include "demo/demo_config.h"

#include "demo/writer.h"

namespace headroom::demo {

std::string DemoConfigYaml(const std::string& data_dir) {
  std::string path;
  AppendEscaped(path, data_dir);
  return R"(# Written by `headroom demo` (docs/DEMO.md): the SPEC 2 example rules with
# the demo's credentials. Use it with any command, e.g.
#   headroom serve --config <this file>
server:
  listen: 127.0.0.1:8080
  write_keys: [wk_demo]
  api_tokens: [tok_demo]
storage:
  path: ")" +
         path +
         R"("
  synchronous: normal

metrics:
  active_users:      { distinct: user, window: 30d }
  gb_ingested:       { sum: gb, event: "Data Ingested", window: month }
  api_calls:         { count: "API Request", window: 1d }
  workspaces:        { distinct: workspace_id, event: "Workspace Created", window: all }
  modules:           { distinct: module, event: "Module Activated", window: all }
  paywall_days:      { days_active: "Paywall Hit", window: 14d }
  workflows_done:    { count: "Workflow Completed", window: 30d }
  workflows_started: { count: "Workflow Started", window: 30d }
  seats_reported:    { latest: seats_in_use, event: "Seats Synced" }

triggers:
  seat_capacity:
    class: capacity
    metric: active_users
    limit: seats
    at: 0.80
    sustained_days: 20
    buffer: 0.15
    motion: seat_upgrade
  second_workspace:
    class: adoption
    metric: workspaces
    at: 2
    within_days_of_activation: 90
    motion: plan_change
  workflow_value:
    class: value
    ratio: [workflows_done, workflows_started]
    at: 0.40
    min_denominator: 20
  paywall_repeat:
    class: adoption
    metric: paywall_days
    at: 3
hold_days: 30

score:
  firmographic:
    max: 30
    criteria:
      - { name: icp_fit,            trait: icp_fit, equals: true, points: 15 }
      - { name: headcount_growth,   trait: headcount_growth_pct, gte: 10, points: 10 }
      - { name: competitor_renewal, trait: competitor_renewal_date, within_days: 120, points: 5 }
  usage: { capacity: 20, adoption: 15, value: 15 }
  committee:
    max: 20
    criteria:
      - { name: senior_logins,     new_senior_users: [director, vp, "vice president", "head of", chief, cxo, ceo, cfo, cto, coo, cro], window: 30d, gte: 1, points: 10 }
      - { name: second_department, distinct_user_trait: department, window: 30d, gte: 2, points: 5 }
      - { name: procurement,       count: "Procurement Mentioned", window: 30d, gte: 1, points: 5 }

suppress:
  contract_younger_than_days: 60
  sev1_ticket_within_days: 30
  renewal_in_negotiation: true
  traits: [{ trait: do_not_contact, equals: true }]

routing:
  ae_at: 70
  csm_at: 50
  ae_touch_sla_hours: 48
  csm_touch_sla_hours: 120
  signal_expire_days: 30
  resignal_cooldown_days: 30

credit: { ae: 0.8, csm: 0.2 }
deal_desk: { max_discount: 0.15, max_term_months: 36 }
reports: { horizon_days: 60 }
)";
}

}  // namespace headroom::demo
