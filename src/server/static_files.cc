#include "server/static_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace headroom::server {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNotBuiltPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Headroom</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Headroom</h1>
<p>The dashboard is not built yet. Build it with</p>
<pre>scripts/build-web.sh</pre>
<p>(or serve a built copy with <code>headroom serve --web DIR</code>), then reload this page.
The REST API is under <code>/v1</code> (bearer token); see docs/API.md.</p>
</body></html>
)";

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::string StaticFiles::ContentType(const std::string& name) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".json", "application/json"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  const auto dot = name.rfind('.');
  const auto slash = name.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return "application/octet-stream";
  std::string ext = name.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool StaticFiles::SafePath(const std::string& path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return false;
  if (path == "/") return true;
  // Every segment after the leading '/' must be a plain, non-hidden name.
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string_view seg(path.data() + start, end - start);
    if (seg.empty() || seg.front() == '.' || seg.find(':') != std::string_view::npos) return false;
    start = end + 1;
  }
  return true;
}

std::optional<HttpResponse> StaticFiles::Serve(const std::string& path) const {
  if (!SafePath(path)) return std::nullopt;
  const bool index = path == "/" || path == "/index.html";
  const std::string rel = path == "/" ? "index.html" : path.substr(1);
  std::error_code ec;
  const fs::path root = fs::canonical(root_, ec);
  if (ec) {
    if (!index) return std::nullopt;
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = kNotBuiltPage;
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  }
  const fs::path file = fs::canonical(root / rel, ec);
  if (ec || !fs::is_regular_file(file, ec)) {
    if (!index) return std::nullopt;
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = kNotBuiltPage;
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  }
  // Symlinks resolved: the file must still lie under the root.
  const std::string root_s = root.string() + "/";
  if (file.string().compare(0, root_s.size(), root_s) != 0) return std::nullopt;
  auto body = ReadFile(file);
  if (!body) return std::nullopt;
  HttpResponse r;
  r.content_type = ContentType(file.filename().string());
  r.body = std::move(*body);
  r.headers.emplace_back("Cache-Control", index ? "no-cache" : "public, max-age=3600");
  return r;
}

}  // namespace headroom::server
