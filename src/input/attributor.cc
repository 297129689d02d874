#include "input/attributor.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <variant>

namespace headroom {

void Attributor::AddGroup(const Input& in) {
  if (in.type != MessageType::kGroup) return;
  const auto* group = std::get_if<GroupMsg>(&in.body);
  if (group == nullptr || group->group_id.empty()) return;
  auto it = links_.find(std::string_view(in.user_id));
  if (it == links_.end()) it = links_.emplace(in.user_id, std::vector<Link>()).first;
  std::vector<Link>& v = it->second;
  Link link{in.time, in.seq, ++link_count_, group->group_id};
  const auto before = [](const Link& a, const Link& b) {
    return std::tie(a.time, a.seq, a.order) < std::tie(b.time, b.seq, b.order);
  };
  // Arrival order is usually time order: append without searching.
  if (v.empty() || !before(link, v.back())) {
    v.push_back(std::move(link));
  } else {
    v.insert(std::upper_bound(v.begin(), v.end(), link, before), std::move(link));
  }
}

std::string Attributor::AccountAt(std::string_view link_key, TimeMs t) const {
  const auto it = links_.find(link_key);
  if (it == links_.end()) return {};
  const std::vector<Link>& v = it->second;
  // The first link with time > t; the one before it is the latest with time <= t.
  const auto after =
      std::upper_bound(v.begin(), v.end(), t, [](TimeMs x, const Link& l) { return x < l.time; });
  if (after == v.begin()) return {};
  return std::prev(after)->group_id;
}

void Attributor::Attribute(Input& in) const {
  switch (in.type) {
    case MessageType::kTrack:
    case MessageType::kPage:
    case MessageType::kScreen:
    case MessageType::kIdentify: break;
    default: return;
  }
  if (in.explicit_account) return;
  in.account_id = AccountAt(in.user_id, in.time);
}

void Attributor::Clear() {
  links_.clear();
  link_count_ = 0;
}

void Attributor::SaveSnapshot(SnapshotWriter& w) const {
  w.U64(link_count_);
  w.U64(links_.size());
  for (const auto& [key, links] : links_) {
    w.Str(key);
    w.U64(links.size());
    for (const Link& link : links) {
      w.I64(link.time);
      w.U64(link.seq);
      w.U64(link.order);
      w.Str(link.group_id);
    }
  }
}

void Attributor::LoadSnapshot(SnapshotReader& r) {
  const uint64_t link_count = r.U64("link count");
  LinkMap loaded;
  const size_t keys = r.Count("link keys");
  loaded.reserve(keys);
  const auto before = [](const Link& a, const Link& b) {
    return std::tie(a.time, a.seq, a.order) < std::tie(b.time, b.seq, b.order);
  };
  for (size_t k = 0; k < keys; ++k) {
    std::string key = r.Str("link key");
    std::vector<Link> links(r.Count("links"));
    for (Link& link : links) {
      link.time = r.I64("link time");
      link.seq = r.U64("link seq");
      link.order = r.U64("link order");
      link.group_id = r.Str("link group");
      if (link.order == 0 || link.order > link_count) r.Fail("link order", "out of range");
    }
    if (!std::is_sorted(links.begin(), links.end(), before)) r.Fail("links", "not in order");
    loaded.emplace(std::move(key), std::move(links));
  }
  links_ = std::move(loaded);
  link_count_ = link_count;
}

}  // namespace headroom
