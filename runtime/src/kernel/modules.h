// The ES module loader (spec 2.1): static and dynamic import of relative/absolute paths and file:// URLs,
// JSON modules (`with { type: 'json' }`), import.meta.url, and the built-in module `corojs` exporting the
// public API objects. Every failure is a JS error; none is a V8 fatal.
#pragma once

#include <v8.h>

#include <string>

namespace corojs {

// V8 flags for import attributes (`with {...}`, and the older `assert {...}`), as Node 18.20 sets them.
extern const char kModuleV8Flags[];

// Registers the dynamic import and import.meta hooks on the isolate.
void InitModuleLoader(v8::Isolate* isolate);

// Loads, links and evaluates the entry module at `path` (relative to the working directory).
// Returns false after reporting the error (the caller exits 1); else sets `evaluation` to the evaluation's
// result (a promise that may still be pending: top-level await).
bool RunMainModule(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path,
                   v8::Local<v8::Value>* evaluation);

// The absolute, normalised form of `path`.
std::string AbsolutePath(const std::string& path);

}  // namespace corojs
