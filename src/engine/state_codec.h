// The snapshot encoding of the engine's plain state types (account_state.h,
// views.h, model/input.h records), on top of common/snapshot_codec.h. Used by
// Engine::SaveSnapshot / LoadSnapshot and MetricState::Save / Load only.
//
// Contract: Put* writes exactly what the matching Get* reads. Numbers that are
// doubles stay bit-exact (PutNum writes small integral values as varints, any
// other value as its 8 bytes). Get* throw SnapshotCorrupt on malformed bytes.
// Pointers are never written: AccountState::users' directory entries are
// written as their link keys and latest_signal as a flag, and the caller
// re-links them (GetAccount takes the directory and the signal map).
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/snapshot_codec.h"
#include "common/value.h"
#include "engine/account_state.h"
#include "engine/day_ring.h"
#include "engine/narrow_day_ring.h"
#include "engine/views.h"

namespace headroom {

void PutNum(SnapshotWriter& w, double v);
double GetNum(SnapshotReader& r, const char* what);

void PutValue(SnapshotWriter& w, const Value& v);
Value GetValue(SnapshotReader& r, const char* what);

// Whether the ring was ever written, its newest day, then the days of its
// span that hold something other than T{} (0 for a NarrowDayRing):
// (newest - day, value) each. Ring: DayRing<T> or NarrowDayRing.
template <typename Ring, typename PutT>
void PutRing(SnapshotWriter& w, const Ring& ring, PutT&& put) {
  w.Bool(!ring.empty());
  if (ring.empty()) return;
  w.I64(ring.newest());
  size_t held = 0;
  ring.ForEach([&](Day, const auto&) { ++held; });
  w.U64(held);
  ring.ForEach([&](Day d, const auto& v) {
    w.U64(static_cast<uint64_t>(static_cast<int64_t>(ring.newest()) - d));
    put(v);
  });
}

// A ring that may not exist (null): written as an unused ring.
template <typename Ring, typename PutT>
void PutRingOrNone(SnapshotWriter& w, const Ring* ring, PutT&& put) {
  if (ring)
    PutRing(w, *ring, put);
  else
    w.Bool(false);
}

template <typename Ring, typename GetT>
void GetRing(SnapshotReader& r, Ring& ring, GetT&& get) {
  if (!r.Bool("ring used")) return;
  const int64_t newest = r.I64("ring day");
  if (newest <= INT32_MIN || newest > INT32_MAX) r.Fail("ring day", "out of range");
  if (!ring.Touch(static_cast<Day>(newest))) r.Fail("ring", "used, but idle in these rules");
  const size_t held = r.Count("ring slots");
  if (held > static_cast<size_t>(ring.size())) r.Fail("ring slots", "more than the ring holds");
  for (size_t i = 0; i < held; ++i) {
    const uint64_t back = r.U64("ring day");
    if (back >= static_cast<uint64_t>(ring.size())) r.Fail("ring day", "outside the ring");
    ring.Set(static_cast<Day>(newest - static_cast<int64_t>(back)), get());
  }
}

// Into a ring that may not exist (null): only an unused ring is accepted.
template <typename Ring, typename GetT>
void GetRingOrNone(SnapshotReader& r, Ring* ring, GetT&& get) {
  if (ring)
    GetRing(r, *ring, get);
  else if (r.Bool("ring used"))
    r.Fail("ring", "used, but idle in these rules");
}

void PutSignal(SnapshotWriter& w, const Signal& s);
Signal GetSignal(SnapshotReader& r);

void PutFiring(SnapshotWriter& w, const Firing& f);
Firing GetFiring(SnapshotReader& r);

void PutTimedTraits(SnapshotWriter& w, const TimedTraits& t);
TimedTraits GetTimedTraits(SnapshotReader& r);

void PutOwner(SnapshotWriter& w, const Versioned<OwnerRecord>& o);
Versioned<OwnerRecord> GetOwner(SnapshotReader& r);

// Everything but `metrics` (MetricState::Save, written by the caller) and the
// caches of the view's JSON (evidence, metrics, contract: rebuilt on read).
// The account's users are written as their ordinals in the user directory,
// which the caller writes in order, not as keys.
void PutAccount(SnapshotWriter& w, const AccountState& a);
// The fingerprint of each directory entry's link key
// (DistinctValues::FingerprintOfUser) by ordinal, computed once while the
// directory is read rather than once per account the user is in.
using UserFingerprints = std::vector<uint64_t>;
// Into a freshly created account (Known(): metrics and triggers sized by the
// rules). Users are linked through `users`; latest_signal to `signals`.
// Reads `users` and `signals` only: several threads may decode accounts at
// once (Engine::LoadSnapshot's account chunks).
void GetAccount(SnapshotReader& r, AccountState& a, const UserFingerprints& users,
                std::unordered_map<std::string, Signal>& signals, size_t firing_count);

}  // namespace headroom
