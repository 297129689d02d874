// UnseenDeadlines: what a triggers-only engine (Engine's backtest mode) can
// still prove about a full engine's firings of the same trigger.
//
// A full engine also evaluates an account at its signals' live deadlines
// (SPEC 3.1 point 3); a triggers-only engine has no signals, so it sees only
// the input and midnight evaluation points. Between two evaluations it sees,
// t_prev < t_next (no input of the account in between, midnights are seen),
// a full engine's extra evaluation at a deadline D in (t_prev, t_next] finds
// the condition it found at t_prev: the same day, the same stored events and
// contracts; only the activation window, compared to the millisecond, can
// have closed since (rule 14), which makes it fail, never hold. So the only
// thing an unseen deadline can change is last_held (rule 18): a full
// engine's last_held lies in [last_held seen here, held_until].
//
// With hold_days >= 1 that uncertainty cannot start an episode at an unseen
// deadline (D - t_prev < 1 day), it can only keep a full engine's episode
// alive past the end seen here, until at most held_until + hold. A firing
// seen before that instant may therefore be a continuation in a full engine:
// the trigger's firings are then no longer proven exact. With hold_days 0 an
// unseen deadline where the condition holds starts an episode of its own, so
// any holding makes them unproven.
//
// One UnseenDeadlines per (account, trigger) in backtest mode. Times in UTC ms.
#pragma once

#include "common/time.h"

namespace headroom {

struct UnseenDeadlines {
  TimeMs held_until = 0;  // a full engine's last_held is at most this
  TimeMs settled = 0;     // a full engine's last episode has surely ended by then
  bool held = false;      // the condition held at the last evaluation seen

  // Call at the episode end seen at an evaluation at t (hold: the trigger's
  // hold in ms). If the condition held at the previous evaluation seen, a
  // full engine may have found it holding at a deadline up to t.
  void Ended(TimeMs t, TimeMs hold) { settled = (held ? t : held_until) + hold; }
  // Call after the condition was evaluated at t (before a firing it starts is
  // recorded). Returns false when the firing decision at t might differ from
  // a full engine's: `starts` (an episode starts at t) while a full engine's
  // previous episode may still be running, or any holding with hold 0.
  [[nodiscard]] bool Evaluated(TimeMs t, bool holds, bool starts, TimeMs hold) {
    const bool proven = !(starts && t < settled) && !(holds && hold == 0);
    if (holds) {
      held_until = t;
    } else if (held) {
      held_until = t;  // a deadline in (last_held, t] may have found it holding
    }
    held = holds;
    return proven;
  }
};

}  // namespace headroom
