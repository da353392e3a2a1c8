// The JS standard library (spec 2.5): runtime/lib/*.js, embedded by tools/embed-stdlib.mjs as one table of ES
// modules and evaluated from stdlib.js before the user's script.
#pragma once

#include <v8.h>

#include <cstddef>

namespace corojs {

struct StdlibModule {
  const char* name;  // the file name in runtime/lib, e.g. "net.js"
  const char* source;
  size_t length;
};

// Generated (build/runtime/stdlib_modules.cc).
extern const StdlibModule kStdlibModules[];
extern const size_t kStdlibModuleCount;
extern const char kStdlibEntry[];

// Compiles every embedded module, links them (an import './x.js' resolves only to the embedded x.js) and
// evaluates the entry. Returns false after reporting the error (the caller exits 70).
bool RunStdlib(v8::Isolate* isolate, v8::Local<v8::Context> context);

}  // namespace corojs
