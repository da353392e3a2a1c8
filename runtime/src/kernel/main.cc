// The CoroJS kernel's entry point: parses flags, embeds V8, installs __primordials, runs stdlib.js, then the
// entry module in the main fiber, and hands over to the fiber scheduler until nothing is left to run.
#include <libplatform/libplatform.h>
#include <uv.h>
#include <v8.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "fiber/scheduler.h"
#include "kernel/args.h"
#include "kernel/microtasks.h"
#include "kernel/modules.h"
#include "kernel/platform.h"
#include "kernel/primordials.h"
#include "kernel/runtime.h"
#include "kernel/runtime_state.h"
#include "kernel/stdlib.h"

namespace {

using corojs::RuntimeOptions;

const char kUsage[] =
    "usage: corojs [--v8-flags='...'] [--fiber-stack-size=BYTES] [--fiber-cpu=N|none] [--fiber-limit=N]\n"
    "              [--fiber-backend=fcontext|ucontext|thread] [--import-map=FILE] [--loader=FILE]\n"
    "              [script.mjs] [args...]\n"
    "Runs script.mjs (default ./main.mjs) with fibers: blocking calls block only their fiber.\n";

bool ParseSize(const char* text, size_t* out) {
  char* end = nullptr;
  unsigned long long value = strtoull(text, &end, 10);
  if (end == text) return false;
  if (*end == 'k' || *end == 'K') value <<= 10, end++;
  else if (*end == 'm' || *end == 'M') value <<= 20, end++;
  if (*end != '\0' || value < 16 * 1024 || value > (1ull << 32)) return false;
  *out = static_cast<size_t>(value);
  return true;
}

// Returns -1 on success, else the exit status for a usage error.
int ParseArgs(int argc, char** argv, RuntimeOptions* options) {
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char* arg = argv[i];
    if (strncmp(arg, "--v8-flags=", 11) == 0) {
      options->v8_flags += std::string(" ") + (arg + 11);
    } else if (strncmp(arg, "--fiber-stack-size=", 19) == 0) {
      if (!ParseSize(arg + 19, &options->fiber_stack_size)) {
        fprintf(stderr, "corojs: --fiber-stack-size must be a byte count between 16K and 4G, got '%s'\n", arg + 19);
        return 9;
      }
    } else if (strncmp(arg, "--fiber-limit=", 14) == 0) {
      char* end = nullptr;
      unsigned long long limit = strtoull(arg + 14, &end, 10);
      if (end == arg + 14 || *end != '\0' || limit == 0) {
        fprintf(stderr, "corojs: --fiber-limit must be a positive number of fibers, got '%s'\n", arg + 14);
        return 9;
      }
      options->fiber_limit = static_cast<size_t>(limit);
    } else if (strncmp(arg, "--fiber-cpu=", 12) == 0) {
      options->fiber_cpu = strcmp(arg + 12, "none") == 0 ? -2 : atoi(arg + 12);
    } else if (strncmp(arg, "--fiber-backend=", 16) == 0) {
      options->fiber_backend = arg + 16;
      if (!corojs::fiber::IsBackendName(options->fiber_backend)) {
        fprintf(stderr, "corojs: --fiber-backend must be 'fcontext', 'ucontext' or 'thread', got '%s'\n", arg + 16);
        return 9;
      }
    } else if (strncmp(arg, "--import-map=", 13) == 0 && arg[13] != '\0') {
      options->import_map = arg + 13;
    } else if (strncmp(arg, "--loader=", 9) == 0 && arg[9] != '\0') {
      options->loader = arg + 9;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(kUsage, stdout);
      return 0;
    } else if (strcmp(arg, "--version") == 0) {
      printf("corojs 0.1.0 (V8 %s, libuv %s)\n", v8::V8::GetVersion(), uv_version_string());
      return 0;
    } else {
      fprintf(stderr, "corojs: unknown option %s\n%s", arg, kUsage);
      return 9;
    }
  }
  if (i < argc) options->script = argv[i++];
  options->argv.push_back(argv[0]);
  options->argv.push_back(corojs::AbsolutePath(options->script));
  for (; i < argc; i++) options->argv.push_back(argv[i]);
  return -1;
}

v8::Global<v8::Promise> top_level;  // the entry module's evaluation, while it awaits

// Node's rule: a top-level await that can never settle ends the process with status 13 and a warning.
void WarnUnsettledTopLevelAwait() {
  v8::Isolate* isolate = corojs::GetIsolate();
  v8::HandleScope scope(isolate);
  if (top_level.IsEmpty() || top_level.Get(isolate)->State() != v8::Promise::kPending) return;
  fprintf(stderr, "Warning: Detected unsettled top-level await at file://%s\n",
          corojs::AbsolutePath(corojs::GetOptions().script).c_str());
  corojs::ExitProcess(13);
}

// The main fiber waits for the entry module to finish evaluating (top-level await), like Node.
void AwaitTopLevel(v8::Isolate* isolate, v8::Local<v8::Promise> evaluation) {
  top_level.Reset(isolate, evaluation);
  corojs::fiber::SetBeforeIdleExit(WarnUnsettledTopLevelAwait);
  corojs::AwaitPromise(isolate, evaluation);
  top_level.Reset();
  if (evaluation->State() == v8::Promise::kRejected) {
    v8::Local<v8::Value> error = evaluation->Result();
    corojs::ReportValue(isolate, error, v8::Exception::CreateMessage(isolate, error));
    corojs::ExitProcess(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  corojs::RuntimeState& state = corojs::MutableRuntimeState();
  int usage_status = ParseArgs(argc, argv, &state.options);
  if (usage_status >= 0) return usage_status;
  signal(SIGPIPE, SIG_IGN);  // a peer that goes away is an EPIPE error on that socket, not a dead process
  signal(SIGXFSZ, SIG_IGN);  // a write past RLIMIT_FSIZE is an EFBIG error, not a dead process

  corojs::fiber::Options fiber_options;
  fiber_options.stack_size = state.options.fiber_stack_size;
  fiber_options.cpu = state.options.fiber_cpu;
  fiber_options.limit = state.options.fiber_limit;
  fiber_options.backend = state.options.fiber_backend;

  v8::V8::InitializeICUDefaultLocation(argv[0]);
  {
    // Scoped: under the ucontext backend the process may end on a fiber's stack, where LeakSanitizer would not
    // see a heap string still held by this (suspended) frame.
    std::string v8_flags =
        std::string(corojs::kModuleV8Flags) + " " + corojs::fiber::V8FlagsFor(fiber_options) + state.options.v8_flags;
    v8::V8::SetFlagsFromString(v8_flags.c_str());
  }
  std::unique_ptr<v8::Platform> platform = corojs::NewLoopPlatform();
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();

  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
  v8::Isolate* isolate = v8::Isolate::New(params);
  state.isolate = isolate;
  state.loop = uv_default_loop();
  corojs::AttachLoopPlatform(isolate, state.loop);

  // The main fiber holds the isolate for the life of the process: fibers only ever Unlock around a switch.
  v8::Locker locker(isolate);
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  corojs::InitMicrotasks(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  state.context.Reset(isolate, context);
  v8::Context::Scope context_scope(context);

  corojs::fiber::Init(isolate, state.loop, fiber_options);
  corojs::InitModuleLoader(isolate);
  corojs::InstallPrimordials(isolate, context);
  if (!corojs::RunStdlib(isolate, context)) corojs::ExitProcess(70);
  v8::Local<v8::Value> evaluation;
  if (!corojs::RunMainModule(isolate, context, state.options.script, &evaluation)) corojs::ExitProcess(1);
  if (evaluation->IsPromise()) AwaitTopLevel(isolate, evaluation.As<v8::Promise>());
  corojs::fiber::FinishMain();
}
