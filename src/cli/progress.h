// ProgressBar: a one-line progress bar on stderr, drawn only when stderr is a
// terminal (SPEC 6.2); silent otherwise. Redraws at most ~10 times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace headroom {

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  void Update(uint64_t done);
  void Finish();

 private:
  std::string label_;
  uint64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace headroom
