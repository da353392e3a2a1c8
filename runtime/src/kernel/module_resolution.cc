// Paths, file: URLs and import maps: see module_resolution.h.
#include "kernel/module_resolution.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "kernel/args.h"
#include "kernel/module_sources.h"

namespace corojs {

namespace {

constexpr char kFileScheme[] = "file://";

bool EndsWithSlash(const std::string& s) { return !s.empty() && s.back() == '/'; }

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// "scheme:" at the start (RFC 3986): an absolute URL rather than a bare name.
bool HasScheme(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || !isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.begin() + colon,
                     [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; });
}

// `relative` against `base_url` as a URL parser would for file: URLs; other absolute URLs are kept as they are.
std::string JoinUrl(const std::string& relative, const std::string& base_url) {
  if (StartsWith(relative, kFileScheme)) return FileUrl(NormalizePath(relative.substr(sizeof(kFileScheme) - 1)));
  if (HasScheme(relative)) return relative;
  if (StartsWith(relative, "/")) return FileUrl(NormalizePath(relative));
  std::string base = PathOfUrl(base_url);
  std::string directory = EndsWithSlash(base) ? base : Dirname(base) + "/";
  return FileUrl(NormalizePath(directory + relative));
}

bool SortByKeyDescending(const std::pair<std::string, std::string>& a, const std::pair<std::string, std::string>& b) {
  return a.first > b.first;  // WHATWG: code-unit order, descending, so "a/b/" is tried before "a/"
}

}  // namespace

std::string NormalizePath(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  std::string part;
  std::string last;
  while (std::getline(in, part, '/')) {
    last = part;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  bool directory = EndsWithSlash(path) || last == "." || last == "..";
  return out.empty() ? "/" : directory ? out + "/" : out;
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string FileUrl(const std::string& path) { return kFileScheme + path; }

std::string PathOfUrl(const std::string& url) {
  if (StartsWith(url, kFileScheme)) return url.substr(sizeof(kFileScheme) - 1);
  return StartsWith(url, "/") ? url : "";
}

std::string ResolveUrlLike(const std::string& specifier, const std::string& base_url) {
  if (StartsWith(specifier, "/") || StartsWith(specifier, "./") || StartsWith(specifier, "../") ||
      HasScheme(specifier)) {
    return JoinUrl(specifier, base_url);
  }
  return "";
}

bool ImportMap::Load(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path) {
  file_ = path;
  base_url_ = FileUrl(path);
  auto fail = [&](const std::string& key, const std::string& problem) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_INVALID_IMPORT_MAP",
                     "Invalid import map " + file_ + (key.empty() ? "" : " at " + key) + ": " + problem);
    return false;
  };
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in) return fail("", "cannot read the file");
  v8::Local<v8::Value> root;
  {
    v8::TryCatch try_catch(isolate);
    if (!v8::JSON::Parse(context, NewString(isolate, text.str())).ToLocal(&root)) root.Clear();
  }
  if (root.IsEmpty()) return fail("", "not valid JSON");
  if (!root->IsObject() || root->IsArray()) return fail("", "the top level must be a JSON object");
  v8::Local<v8::Array> keys = root.As<v8::Object>()->GetOwnPropertyNames(context).ToLocalChecked();
  for (uint32_t i = 0; i < keys->Length(); i++) {
    std::string key = ToUtf8(isolate, keys->Get(context, i).ToLocalChecked());
    v8::Local<v8::Value> value =
        root.As<v8::Object>()->Get(context, keys->Get(context, i).ToLocalChecked()).ToLocalChecked();
    if (key == "imports") {
      if (!ReadSpecifierMap(isolate, context, value, "\"imports\"", &imports_)) return false;
    } else if (key == "scopes") {
      if (!value->IsObject() || value->IsArray()) return fail("\"scopes\"", "must be an object");
      v8::Local<v8::Array> prefixes = value.As<v8::Object>()->GetOwnPropertyNames(context).ToLocalChecked();
      for (uint32_t j = 0; j < prefixes->Length(); j++) {
        v8::Local<v8::Value> prefix_value = prefixes->Get(context, j).ToLocalChecked();
        std::string prefix = ToUtf8(isolate, prefix_value);
        SpecifierMap map;
        v8::Local<v8::Value> scope = value.As<v8::Object>()->Get(context, prefix_value).ToLocalChecked();
        if (!ReadSpecifierMap(isolate, context, scope, "\"scopes\" > \"" + prefix + "\"", &map)) return false;
        scopes_.emplace_back(JoinUrl(prefix, base_url_), std::move(map));
      }
      std::sort(scopes_.begin(), scopes_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    } else {
      return fail("\"" + key + "\"", "unknown key (an import map has \"imports\" and \"scopes\")");
    }
  }
  return true;
}

bool ImportMap::ReadSpecifierMap(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                                 const std::string& where, SpecifierMap* out) {
  auto fail = [&](const std::string& key, const std::string& problem) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_INVALID_IMPORT_MAP",
                     "Invalid import map " + file_ + " at " + where + key + ": " + problem);
    return false;
  };
  if (!value->IsObject() || value->IsArray()) return fail("", "must be an object");
  v8::Local<v8::Array> keys = value.As<v8::Object>()->GetOwnPropertyNames(context).ToLocalChecked();
  for (uint32_t i = 0; i < keys->Length(); i++) {
    v8::Local<v8::Value> key_value = keys->Get(context, i).ToLocalChecked();
    std::string key = ToUtf8(isolate, key_value);
    std::string at = " > \"" + key + "\"";
    if (key.empty()) return fail(at, "a specifier key cannot be empty");
    v8::Local<v8::Value> address = value.As<v8::Object>()->Get(context, key_value).ToLocalChecked();
    if (!address->IsString()) return fail(at, "the address must be a string");
    std::string address_text = ToUtf8(isolate, address);
    std::string url = ResolveUrlLike(address_text, base_url_);
    if (url.empty()) {
      return fail(at, "the address \"" + address_text + "\" must start with /, ./ or ../, or be a URL");
    }
    if (EndsWithSlash(key) && !EndsWithSlash(url)) {
      return fail(at, "a key ending in / needs an address ending in /, got \"" + address_text + "\"");
    }
    std::string normalized = ResolveUrlLike(key, base_url_);
    out->emplace_back(normalized.empty() ? key : normalized, url);
  }
  std::sort(out->begin(), out->end(), SortByKeyDescending);
  return true;
}

bool ImportMap::Match(v8::Isolate* isolate, const std::string& normalized, const SpecifierMap& map,
                      std::string* url) const {
  for (const auto& [key, address] : map) {
    if (key == normalized) {
      *url = address;
      return true;
    }
    if (EndsWithSlash(key) && StartsWith(normalized, key)) {
      std::string joined = JoinUrl("./" + normalized.substr(key.size()), address);
      if (!StartsWith(joined, address)) {
        ThrowLoaderError(
            isolate, v8::Exception::TypeError, "ERR_INVALID_MODULE_SPECIFIER",
            "Import map " + file_ + ": \"" + normalized + "\" would leave \"" + address + "\" (key \"" + key + "\")");
        return false;
      }
      *url = joined;
      return true;
    }
  }
  url->clear();
  return true;
}

bool ImportMap::Resolve(v8::Isolate* isolate, const std::string& specifier, const std::string& base_url,
                        std::string* url) const {
  url->clear();
  std::string as_url = ResolveUrlLike(specifier, base_url);
  std::string normalized = as_url.empty() ? specifier : as_url;
  for (const auto& [prefix, map] : scopes_) {
    if (prefix == base_url || (EndsWithSlash(prefix) && StartsWith(base_url, prefix))) {
      if (!Match(isolate, normalized, map, url)) return false;
      if (!url->empty()) return true;
    }
  }
  return Match(isolate, normalized, imports_, url);
}

}  // namespace corojs
