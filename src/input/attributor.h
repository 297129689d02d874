// Attributor: account attribution of events and identifies (SPEC 1.1 "Account",
// 3.7 rules 4 and 5).
//
// Contract: remembers every stored `group` call as a link (link key -> account,
// with the call's event time and arrival order). The link key is the message's
// userId, else its anonymousId — i.e. Input.user_id. An input's account is the
// group_id of the key's latest link whose time is <= the input's time (latest by
// time, then by arrival); "" when there is none (unattributed). Attribution is
// fixed when the caller applies it: AddGroup never revisits earlier inputs.
// Call AddGroup only for group calls that are stored (not quarantined, not
// duplicate messageIds), in arrival order. Pure in-memory, no I/O; not
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/snapshot_codec.h"
#include "common/time.h"
#include "model/input.h"

namespace headroom {

class Attributor {
 public:
  // Records the link of a group input (type kGroup with a GroupMsg body);
  // anything else is ignored. Ties in time are broken by seq, then by the
  // order of AddGroup calls.
  void AddGroup(const Input& group_input);

  // The account of `link_key` at t, or "".
  std::string AccountAt(std::string_view link_key, TimeMs t) const;

  // For track/page/screen/identify without explicit_account: sets
  // in.account_id = AccountAt(in.user_id, in.time). Other inputs are untouched.
  void Attribute(Input& in) const;

  size_t link_count() const { return link_count_; }
  void Clear();

  // Snapshots (common/snapshot_codec.h): writes every link exactly as held;
  // LoadSnapshot replaces them with what SaveSnapshot wrote, checking orders
  // and sort order, and throws SnapshotCorrupt (leaving this unchanged) on
  // anything else.
  void SaveSnapshot(SnapshotWriter& w) const;
  void LoadSnapshot(SnapshotReader& r);

 private:
  struct Link {
    TimeMs time;
    uint64_t seq;
    uint64_t order;  // AddGroup call count
    std::string group_id;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using LinkMap = std::unordered_map<std::string, std::vector<Link>, KeyHash, std::equal_to<>>;

  // Per link key, sorted by (time, seq, order).
  LinkMap links_;
  uint64_t link_count_ = 0;
};

}  // namespace headroom
