// Process-wide runtime state and the exit path, for bindings that need the isolate, loop or context.
#pragma once

#include <uv.h>
#include <v8.h>

#include <string>
#include <vector>

namespace corojs {

struct RuntimeOptions {
  std::string v8_flags;
  size_t fiber_stack_size = 1 << 20;
  int fiber_cpu = -1;
  size_t fiber_limit = 0;     // --fiber-limit; 0: the default budget under vm.max_map_count
  std::string fiber_backend;  // --fiber-backend; empty: the scheduler's default
  std::string script = "main.mjs";
  std::string import_map;         // --import-map=FILE
  std::string loader;             // --loader=FILE
  std::vector<std::string> argv;  // process.argv: [runtime path, absolute script path, args...]
};

v8::Isolate* GetIsolate();
uv_loop_t* GetLoop();
v8::Local<v8::Context> GetContext();
const RuntimeOptions& GetOptions();

// Flushes stdout/stderr and ends the process now, whatever fibers are suspended.
[[noreturn]] void ExitProcess(int code);
// The exit code used when the process ends because nothing is left to run (process.exitCode).
void SetExitCode(int code);
int ExitCode();

// Prints an uncaught exception (its stack, or file:line:column and the source line for a SyntaxError) to stderr.
void ReportException(v8::Isolate* isolate, const v8::TryCatch& try_catch);

}  // namespace corojs
