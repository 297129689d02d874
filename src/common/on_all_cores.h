// OnAllCores: run the parts of a job concurrently, one thread each, part 0 on
// the calling thread, and wait for all of them. Used where a job splits into
// independent shares (the backtest's accounts, a snapshot's account chunks).
//
// Contract: part(p) is called exactly once for every p in [0, parts). If parts
// throw, every part still finishes, then the exception of the lowest part
// that threw is rethrown on the calling thread. Parts share nothing unless
// the caller makes it safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace headroom {

// The cores to use for a job of at most `at_most` parts: the machine's, at
// least 1 and at most `at_most` (at least 1).
inline size_t Cores(size_t at_most) {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, std::max<size_t>(at_most, 1));
}

inline void OnAllCores(size_t parts, const std::function<void(size_t)>& part) {
  std::vector<std::exception_ptr> failures(parts);
  auto run = [&](size_t p) {
    try {
      part(p);
    } catch (...) {
      failures[p] = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(parts);
  for (size_t p = 1; p < parts; ++p) helpers.emplace_back(run, p);
  if (parts > 0) run(0);
  for (auto& t : helpers) t.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
}

}  // namespace headroom
