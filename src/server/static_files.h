// StaticFiles: the dashboard's files (issue 6) under a web root, served with
// no authentication by the router for every GET/HEAD path outside /v1.
//
// Contract:
// * "/" serves <root>/index.html; "/x/y.js" serves <root>/x/y.js. The path
//   arrives percent-decoded (router): a segment "." or "..", a backslash, a
//   NUL, an empty segment ("//") or a leading segment that is absolute is
//   refused (404), as is any file that resolves (symlinks included) outside
//   the root. Hidden files (a segment starting with '.') are not served.
// * Content-Type from the extension (html, js, mjs, css, svg, png, jpg, gif,
//   webp, json, ico, woff, woff2, ttf, map, txt, wasm); anything else
//   application/octet-stream. index.html gets `Cache-Control: no-cache`, every
//   other file `Cache-Control: public, max-age=3600`.
// * Without <root>/index.html, "/" answers a small HTML page saying how to
//   build the dashboard (scripts/build-web.sh), status 200.
// * Reads the file on each request (the files are small; no cache, so a
//   rebuilt dashboard shows at once). Thread-safe (no mutable state).
#pragma once

#include <optional>
#include <string>

#include "server/http_types.h"

namespace headroom::server {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // The answer for `path` (decoded, starting with '/'); nullopt when no file
  // is there (the router answers 404).
  std::optional<HttpResponse> Serve(const std::string& path) const;

  // The Content-Type for a file name, by extension.
  static std::string ContentType(const std::string& name);
  // True when `path` is acceptable (see the contract), before any file access.
  static bool SafePath(const std::string& path);

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace headroom::server
