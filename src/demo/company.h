// The synthetic SaaS company of `headroom demo` (docs/DEMO.md): its sales and
// success team, its customer accounts with firmographics, contracts and users,
// and each account's hidden propensities (never written out; they drive the
// usage and revenue simulations). Built deterministically from a seed.
//
// Times are UTC ms; days are UTC days since the epoch (common/time.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace headroom::demo {

struct DemoParams {
  int accounts = 500;
  int months = 12;
  uint64_t seed = 42;
};

struct Owner {
  std::string id;
  std::string role;  // ae | csm | manager | revops
  std::string name;
  std::string manager;  // "" when none
  std::string group;    // pilot | control | "" (managers, revops)
};

struct User {
  std::string id;
  std::string title;
  std::string department;
  double activity = 0.5;  // chance of being active on a weekday
  bool senior = false;
  bool active = true;  // false once the user left the account
};

// Hidden drivers of one account (see docs/DEMO.md "Hidden propensities").
struct Propensity {
  double expansion = 0.5;      // 0..1: willingness to pay more (upgrades, wins)
  double target_util = 0.7;    // where active users / seats settles
  double start_util = 0.5;     // active users / seats at the first day of the data
  double ramp_days = 120;      // how fast it gets there
  double events_per_user = 2;  // events of an active user per active day
  double workflow_rate = 0;    // workflows started per weekday (0: no workflows)
  double completion = 0.3;     // share of started workflows completed (at maturity)
  double paywall_rate = 0;     // paywall hits per weekday, independent of expansion
  double api_rate = 0;         // API requests per weekday (0: no API use)
  double workspace_rate = 0;   // new workspaces per day
  double module_rate = 0;      // module activations per day
  double ticket_rate = 0.5;    // tickets per month
  double churn_risk = 0.1;     // chance not to renew
};

struct Account {
  std::string id;
  std::string name;
  // Firmographics (account record traits).
  std::string industry;
  std::string region;
  int employees = 100;
  bool icp_fit = false;
  int headcount_growth_pct = 0;
  int intent_score = 0;
  std::optional<Day> competitor_renewal;
  bool do_not_contact = false;
  std::string ae;
  std::string csm;  // "" for small accounts without a CSM
  Propensity hidden;

  // Commercial state (changes during the simulation).
  Day signup = 0;          // first day of product use (before the data for existing customers)
  Day contract_start = 0;  // current contract
  Day contract_end = 0;
  std::string plan;  // starter | team | business | enterprise
  int seats = 10;
  double mrr = 0;
  bool churned = false;

  // Usage state.
  std::vector<User> users;
  int next_user = 1;
  int workspaces = 0;
  int modules = 0;
  std::vector<int> adopted_releases;  // indices into Company::releases
};

struct Release {
  std::string feature;
  std::string adoption_event;
  std::string tier;
  Day day = 0;
};

struct Company {
  Day first_day = 0;  // inclusive
  Day end_day = 0;    // exclusive
  std::vector<Owner> owners;
  std::vector<Account> accounts;
  std::vector<Release> releases;
};

// Price of one seat per month on a plan.
double SeatPrice(const std::string& plan);

Company BuildCompany(const DemoParams& params);

}  // namespace headroom::demo
