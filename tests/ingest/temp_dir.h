// TempDir: a fresh directory under the system temp dir for one test's store,
// removed with everything in it when the object goes out of scope.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace headroom {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("headroom-ingest-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace headroom
