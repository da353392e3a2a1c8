// Where a specifier leads: file:// URL arithmetic and WHATWG import maps (`imports` and `scopes`), read from
// `--import-map=FILE` or `corojs.importmap.json` beside the entry module. Module identities are absolute paths;
// an import map speaks URLs, so paths cross as `file://` + path (no percent-encoding: paths are taken as-is).
#pragma once

#include <v8.h>

#include <string>
#include <utility>
#include <vector>

namespace corojs {

// "/a/./b/../c" -> "/a/c"; a trailing slash is kept ("/a/b/" stays a directory prefix).
std::string NormalizePath(const std::string& path);
std::string Dirname(const std::string& path);
std::string FileUrl(const std::string& path);
// The path of a file: URL or absolute path; empty for anything else.
std::string PathOfUrl(const std::string& url);
// A relative/absolute path or URL-like string resolved against `base_url` (WHATWG "parse a URL-like import
// specifier"): empty for a bare specifier.
std::string ResolveUrlLike(const std::string& specifier, const std::string& base_url);

class ImportMap {
 public:
  // Reads and checks the map at `path`; throws ERR_INVALID_IMPORT_MAP (or a SyntaxError) naming the file and
  // the key at fault. Where the WHATWG algorithm only warns and drops an entry, this refuses the map.
  bool Load(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path);
  bool empty() const { return imports_.empty() && scopes_.empty(); }
  // WHATWG "resolve a module specifier": the URL `specifier` maps to from `base_url`, or "" when no entry
  // applies. Throws (returns false) for a mapping that would escape its prefix.
  bool Resolve(v8::Isolate* isolate, const std::string& specifier, const std::string& base_url, std::string* url) const;

 private:
  using SpecifierMap = std::vector<std::pair<std::string, std::string>>;  // key -> address, longest key first
  bool ReadSpecifierMap(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                        const std::string& where, SpecifierMap* out);
  bool Match(v8::Isolate* isolate, const std::string& normalized, const SpecifierMap& map, std::string* url) const;

  std::string file_;
  std::string base_url_;
  SpecifierMap imports_;
  std::vector<std::pair<std::string, SpecifierMap>> scopes_;  // scope prefix -> map, most specific first
};

}  // namespace corojs
