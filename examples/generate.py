#!/usr/bin/env python3
"""Writes the golden example's input files: examples/records.ndjson and
examples/events.ndjson.

Deterministic (no randomness, no clock). The expected outputs in
examples/expected/ are NOT produced by this script: they are derived by hand in
examples/README.md from the rules below (G1..G30) and SPEC section 3.

Import order: records.ndjson, then events.ndjson. events.ndjson is one
time-ordered stream of Segment messages and the business records (touches,
opportunities, tickets, a contract update) that happen during the period, so no
input is late.

Run from anywhere:  python3 examples/generate.py
"""
import datetime as dt
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc


def t(s):
    """'2026-03-01T10:01' (UTC) -> aware datetime."""
    return dt.datetime.fromisoformat(s).replace(tzinfo=UTC)


def iso(d):
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def days(first, last):
    d = dt.date.fromisoformat(first)
    end = dt.date.fromisoformat(last)
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def at(day, hhmm):
    return dt.datetime.fromisoformat(f"{day.isoformat()}T{hhmm}").replace(tzinfo=UTC)


SETUP = "2026-02-28T12:00:00.000Z"

# ---------------------------------------------------------------------------
# records.ndjson: owners, accounts, contracts (all stamped 2026-02-28 12:00Z)
# ---------------------------------------------------------------------------
records = [
    # G1 owners
    {"type": "owner", "owner_id": "ae_alice", "role": "ae", "name": "Alice Ames", "manager": "mgr_mia", "group": "pilot", "timestamp": SETUP},
    {"type": "owner", "owner_id": "ae_bob", "role": "ae", "name": "Bob Brandt", "manager": "mgr_mia", "group": "control", "timestamp": SETUP},
    {"type": "owner", "owner_id": "csm_carol", "role": "csm", "name": "Carol Chen", "manager": "mgr_mia", "group": "pilot", "timestamp": SETUP},
    {"type": "owner", "owner_id": "csm_dan", "role": "csm", "name": "Dan Diaz", "manager": "mgr_max", "group": "control", "timestamp": SETUP},
    {"type": "owner", "owner_id": "mgr_mia", "role": "manager", "name": "Mia Moreau", "timestamp": SETUP},
    {"type": "owner", "owner_id": "mgr_max", "role": "manager", "name": "Max Meyer", "timestamp": SETUP},
    {"type": "owner", "owner_id": "revops_rita", "role": "revops", "name": "Rita Ruiz", "timestamp": SETUP},
    {"type": "owner", "owner_id": "revops_raj", "role": "revops", "name": "Raj Rao", "timestamp": SETUP},
    # G2 accounts
    {"type": "account", "account_id": "acme", "name": "Acme Corp",
     "owners": {"ae": "ae_alice", "csm": "csm_carol"},
     "traits": {"icp_fit": True, "employees": 400, "headcount_growth_pct": 12,
                "competitor_renewal_date": "2026-06-01"},
     "timestamp": SETUP},
    {"type": "account", "account_id": "globex", "name": "Globex",
     "owners": {"ae": "ae_bob", "csm": "csm_dan"},
     "traits": {"icp_fit": True, "employees": 900, "headcount_growth_pct": 15},
     "timestamp": SETUP},
    {"type": "account", "account_id": "initech", "name": "Initech",
     "owners": {"ae": "ae_alice", "csm": "csm_dan"},
     # headcount_growth_pct is a STRING on purpose: gte on a wrong type is false (rule 12)
     "traits": {"icp_fit": True, "employees": 250, "headcount_growth_pct": "15",
                "competitor_renewal_date": "2026-05-20"},
     "timestamp": SETUP},
    {"type": "account", "account_id": "umbrella", "name": "Umbrella Labs",
     "owners": {"ae": "ae_bob"},  # no CSM
     "traits": {"icp_fit": True, "employees": 60, "headcount_growth_pct": 25,
                "competitor_renewal_date": "2026-07-20"},
     "timestamp": SETUP},
    # G3 contracts
    {"type": "contract", "account_id": "acme", "plan": "business", "arr": 60000,
     "start": "2025-01-01", "end": "2026-12-31", "limits": {"seats": 10},
     "renewal_status": "none", "timestamp": SETUP},
    {"type": "contract", "account_id": "globex", "plan": "business", "arr": 90000,
     "start": "2025-09-01", "end": "2026-08-31", "limits": {"seats": 20},
     "renewal_status": "none", "timestamp": SETUP},
    {"type": "contract", "account_id": "initech", "plan": "team", "arr": 30000,
     "start": "2025-06-01", "end": "2026-05-31", "limits": {"seats": 10},
     "renewal_status": "none", "timestamp": SETUP},
    {"type": "contract", "account_id": "umbrella", "plan": "team", "arr": 12000,
     "start": "2026-02-16T09:00:00.000Z", "end": "2027-02-15", "limits": {"seats": 4},
     "renewal_status": "none", "timestamp": SETUP},
]

# ---------------------------------------------------------------------------
# events.ndjson: (time, item) pairs, sorted by time; ties keep insertion order
# ---------------------------------------------------------------------------
stream = []


def add(when, obj):
    stream.append((when, len(stream), obj))


def track(mid, when, event, user=None, group=None, props=None, anon=None, ts_text=None):
    m = {"type": "track", "messageId": mid}
    if user:
        m["userId"] = user
    if anon:
        m["anonymousId"] = anon
    if event is not None:
        m["event"] = event
    m["properties"] = props or {}
    m["timestamp"] = ts_text or iso(when)
    if group:
        m["context"] = {"groupId": group}
    add(when, m)


def identify(mid, when, user, traits, group=None):
    m = {"type": "identify", "messageId": mid, "userId": user, "traits": traits, "timestamp": iso(when)}
    if group:
        m["context"] = {"groupId": group}
    add(when, m)


# ---- acme ----------------------------------------------------------------
# G4 alias (stored, no effect, names no account)
add(t("2026-03-01T08:59"), {"type": "alias", "messageId": "acme-alias-a1", "userId": "a1",
                            "previousId": "anon-a1", "timestamp": "2026-03-01T08:59:00.000Z"})
# G5 identify a1..a8 at 09:0k on 03-01 (a1 is the VP of Sales, department Sales;
#    a2..a8 are engineers, department Engineering)
for k in range(1, 9):
    traits = ({"name": "Ann Archer", "title": "VP of Sales", "department": "Sales", "email": "a1@acme.example"}
              if k == 1 else
              {"title": "Engineer", "department": "Engineering", "email": f"a{k}@acme.example"})
    identify(f"acme-identify-a{k}", t(f"2026-03-01T09:0{k}"), f"a{k}", traits, group="acme")
# G6 a1..a7 one "Feature Used" every day 03-01..04-30 at 10:0k
# G7 a8 the same from 03-05, a9 the same from 04-06 (10:08 / 10:09)
for k, first in [(1, "2026-03-01"), (2, "2026-03-01"), (3, "2026-03-01"), (4, "2026-03-01"),
                 (5, "2026-03-01"), (6, "2026-03-01"), (7, "2026-03-01"), (8, "2026-03-05"),
                 (9, "2026-04-06")]:
    for d in days(first, "2026-04-30"):
        track(f"acme-a{k}-{d}", at(d, f"10:0{k}"), "Feature Used", user=f"a{k}", group="acme",
              props={"feature": "reports"})
# G8 duplicate messageId (different user!) right after the original: ignored
track("acme-a3-2026-03-20", t("2026-03-20T10:03:30"), "Feature Used", user="a_dup", group="acme",
      props={"feature": "reports"})
# G9 anonymous-only event: never counts as a distinct user
track("acme-anon-1", t("2026-03-20T13:00"), "Feature Used", anon="anon-7f3a", group="acme",
      props={"feature": "pricing"})
# G10 CSM touch naming the signal, AE touch naming the account
add(t("2026-03-10T14:00"), {"type": "touch", "signal_id": "acme:1", "owner_id": "csm_carol",
                            "at": "2026-03-10T14:00:00.000Z", "channel": "email"})
track("acme-procurement-1", t("2026-03-12T16:00"), "Procurement Mentioned", user="a2", group="acme",
      props={"source": "in-app chat"})
add(t("2026-03-13T09:30"), {"type": "touch", "account_id": "acme", "owner_id": "ae_alice",
                            "at": "2026-03-13T09:30:00.000Z", "channel": "call"})
# G11 opportunity opened on the signal, later won
opp = {"type": "opportunity", "opportunity_id": "opp-acme-1", "account_id": "acme",
       "signal_id": "acme:1", "owner_id": "ae_alice", "created_at": "2026-03-20T10:30:00.000Z",
       "stage": "open", "amount": 12000, "discount": 0.1, "term_months": 12}
add(t("2026-03-20T10:30"), dict(opp))
add(t("2026-04-02T17:00"), dict(opp, stage="won", closed_at="2026-04-02T17:00:00.000Z"))
# G12 severity-2 ticket: does not suppress
add(t("2026-04-20T10:00"), {"type": "ticket", "ticket_id": "T-300", "account_id": "acme", "severity": 2,
                            "opened_at": "2026-04-20T10:00:00.000Z", "topic": "slow export"})

# ---- globex --------------------------------------------------------------
identify("globex-identify-g1", t("2026-03-02T10:00"), "g1",
         {"title": "Developer", "department": "Engineering", "email": "g1@globex.example"}, group="globex")
# G13 g1 one "Feature Used" every day 03-02..04-30 at 11:00
for d in days("2026-03-02", "2026-04-30"):
    track(f"globex-g1-{d}", at(d, "11:00"), "Feature Used", user="g1", group="globex",
          props={"feature": "pipelines"})
# G14 workspaces: ws-1 on 03-02, ws-1 again on 03-12, ws-2 on 03-18 (sub-ms digits)
track("globex-ws-1", t("2026-03-02T11:30"), "Workspace Created", user="g1", group="globex",
      props={"workspace_id": "ws-1"})
track("globex-ws-1-again", t("2026-03-12T11:30"), "Workspace Created", user="g1", group="globex",
      props={"workspace_id": "ws-1"})
track("globex-ws-2", t("2026-03-18T14:30"), "Workspace Created", user="g1", group="globex",
      props={"workspace_id": "ws-2"}, ts_text="2026-03-18T14:30:00.000999Z")
identify("globex-identify-g2", t("2026-03-10T10:00"), "g2",
         {"title": "Head of Operations", "department": "Operations", "email": "g2@globex.example"},
         group="globex")
# G15 g2 one `page` call "Dashboard" every day 03-10..04-30 at 11:02, stamped with
#     originalTimestamp (no timestamp) and a sentAt that file imports ignore
for d in days("2026-03-10", "2026-04-30"):
    when = at(d, "11:02")
    add(when, {"type": "page", "messageId": f"globex-g2-{d}", "userId": "g2", "name": "Dashboard",
               "properties": {"path": "/dashboard"}, "originalTimestamp": iso(when),
               "sentAt": iso(when + dt.timedelta(seconds=90)), "context": {"groupId": "globex"}})
# G16 a ticket whose severity is the STRING "1": not a severity-1 ticket
add(t("2026-03-20T09:00"), {"type": "ticket", "ticket_id": "T-200", "account_id": "globex", "severity": "1",
                            "opened_at": "2026-03-20T09:00:00.000Z", "topic": "SSO login"})

# ---- initech -------------------------------------------------------------
identify("initech-identify-i1", t("2026-03-02T08:00"), "i1",
         {"title": "Operations Analyst", "department": "Operations", "email": "i1@initech.example"},
         group="initech")
# G17 i1 every day 03-02..04-30: "Workflow Started" at 09:00 and 09:05,
#     "Workflow Completed" at 09:10 (UTC; written with a +02:00 offset)
for d in days("2026-03-02", "2026-04-30"):
    for hhmm, local, name, suffix in [("09:00", "11:00", "Workflow Started", "started-1"),
                                      ("09:05", "11:05", "Workflow Started", "started-2"),
                                      ("09:10", "11:10", "Workflow Completed", "completed")]:
        track(f"initech-{d}-{suffix}", at(d, hhmm), name, user="i1", group="initech",
              props={"workflow": "invoice-approval"}, ts_text=f"{d}T{local}:00.000+02:00")
# G18 a malformed track (no `event`) carrying the messageId of the 03-11 09:05
#     event: quarantined, and it does not reserve that messageId
track("initech-2026-03-11-started-2", t("2026-03-11T09:04"), None, user="i1", group="initech",
      props={"workflow": "invoice-approval"})
# G19 i2, the CFO: one event only
identify("initech-identify-i2", t("2026-03-08T15:00"), "i2",
         {"title": "CFO", "department": "Finance", "email": "i2@initech.example"}, group="initech")
track("initech-i2-dashboard", t("2026-03-08T16:00"), "Dashboard Viewed", user="i2", group="initech",
      props={"dashboard": "spend"})
# G20 severity-1 ticket, contract moved to renewal negotiation, second severity-1 ticket
add(t("2026-03-14T08:00"), {"type": "ticket", "ticket_id": "T-100", "account_id": "initech", "severity": 1,
                            "opened_at": "2026-03-14T08:00:00.000Z", "resolved_at": "2026-03-15T12:00:00.000Z",
                            "topic": "workflow outage"})
add(t("2026-04-22T12:00"), {"type": "contract", "account_id": "initech", "plan": "team", "arr": 30000,
                            "start": "2025-06-01", "end": "2026-05-31", "limits": {"seats": 10},
                            "renewal_status": "negotiating", "timestamp": "2026-04-22T12:00:00.000Z"})
add(t("2026-04-24T10:00"), {"type": "ticket", "ticket_id": "T-102", "account_id": "initech", "severity": 1,
                            "opened_at": "2026-04-24T10:00:00.000Z", "topic": "data loss"})

# ---- umbrella ------------------------------------------------------------
# G21 identify u1..u4 (Engineering) on 03-03 at 11:0k
for k in range(1, 5):
    identify(f"umbrella-identify-u{k}", t(f"2026-03-03T11:0{k}"), f"u{k}",
             {"title": "Scientist", "department": "Engineering", "email": f"u{k}@umbrella.example"},
             group="umbrella")
# G22 u1..u4 one "Feature Used" every day 03-03..04-30 at 12:0k
for k in range(1, 5):
    for d in days("2026-03-03", "2026-04-30"):
        track(f"umbrella-u{k}-{d}", at(d, f"12:0{k}"), "Feature Used", user=f"u{k}", group="umbrella",
              props={"feature": "notebooks"})
# G23 u1 hits the paywall on 03-20, 03-21, 03-22 at 15:00
for d in days("2026-03-20", "2026-03-22"):
    track(f"umbrella-paywall-{d}", at(d, "15:00"), "Paywall Hit", user="u1", group="umbrella",
          props={"feature": "sso"})
# G24 u5 joins through a `group` call; none of u5's messages carries context.groupId
add(t("2026-04-10T07:00"), {"type": "group", "messageId": "umbrella-group-u5", "userId": "u5",
                            "groupId": "umbrella", "traits": {"industry": "Biotech"},
                            "timestamp": "2026-04-10T07:00:00.000Z"})
identify("umbrella-identify-u5", t("2026-04-10T08:00"), "u5",
         {"title": "Director of IT", "department": "IT", "email": "u5@umbrella.example"})
# G25 u5 one "Feature Used" every day 04-10..04-30 at 12:05
for d in days("2026-04-10", "2026-04-30"):
    track(f"umbrella-u5-{d}", at(d, "12:05"), "Feature Used", user="u5", props={"feature": "notebooks"})
# G26 u5 mentions procurement, then exports a report right after the young-contract window
track("umbrella-procurement-1", t("2026-04-14T16:00"), "Procurement Mentioned", user="u5",
      props={"source": "support chat"})
track("umbrella-report-1", t("2026-04-17T09:30"), "Report Exported", user="u5", props={"format": "pdf"})
# G27 the AE touches the (already escalated) signal late
add(t("2026-04-21T10:00"), {"type": "touch", "signal_id": "umbrella:1", "owner_id": "ae_bob",
                            "at": "2026-04-21T10:00:00.000Z", "channel": "call"})

# ---- no account ------------------------------------------------------------
# G28 an unattributed event (no groupId, no group call for this user)
track("ghost-1", t("2026-03-15T12:30"), "Feature Used", user="ghost", props={"feature": "reports"})


def write(path, objs):
    with open(path, "w", encoding="utf-8") as f:
        for o in objs:
            f.write(json.dumps(o, separators=(",", ":")) + "\n")


write(os.path.join(HERE, "records.ndjson"), records)
stream.sort(key=lambda x: (x[0], x[1]))
write(os.path.join(HERE, "events.ndjson"), [o for _, _, o in stream])
