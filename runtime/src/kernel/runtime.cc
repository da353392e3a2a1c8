// Process-wide runtime state, the exit path and uncaught-exception reporting: see runtime.h.
#include "kernel/runtime.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <unistd.h>

#include <cstdio>
#include <string>

#include "kernel/args.h"
#include "kernel/runtime_state.h"

namespace corojs {

namespace {

RuntimeState state;
int exit_code = 0;

// `value` as text: its String() where that works, else V8's detail string, which needs no script (a Symbol
// gives `Symbol(x)`, an object whose toString throws `#<Object>`).
std::string Describe(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> text;
  if (value->IsProxy() && value.As<v8::Proxy>()->IsRevoked()) return "<Revoked Proxy>";  // as Node prints it
  if ((!value->IsSymbol() && value->ToString(context).ToLocal(&text)) ||
      value->ToDetailString(context).ToLocal(&text)) {
    return ToUtf8(isolate, text);
  }
  return "<unprintable exception>";
}

// The error's `stack` if it is a string; a getter that throws (or a revoked Proxy) gives "".
std::string StackOf(v8::Isolate* isolate, v8::Local<v8::Value> exception) {
  if (!exception->IsObject() || exception->IsProxy()) return "";
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> stack;
  if (!exception.As<v8::Object>()->Get(isolate->GetCurrentContext(), NewUtf8(isolate, "stack")).ToLocal(&stack) ||
      !stack->IsString()) {
    return "";
  }
  return ToUtf8(isolate, stack.As<v8::String>());
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

RuntimeState& MutableRuntimeState() { return state; }

v8::Isolate* GetIsolate() { return state.isolate; }
uv_loop_t* GetLoop() { return state.loop; }
v8::Local<v8::Context> GetContext() { return state.context.Get(state.isolate); }
const RuntimeOptions& GetOptions() { return state.options; }

void SetExitCode(int code) { exit_code = code; }
int ExitCode() { return exit_code; }

void ExitProcess(int code) {
  fflush(stdout);
  fflush(stderr);
#if defined(__SANITIZE_ADDRESS__)
  // LeakSanitizer only checks at a normal exit, which this never is: run its check here, on request
  // (scripts/test-asan.sh sets COROJS_LEAK_CHECK=1 with its suppressions for V8's own lifetime allocations).
  if (getenv("COROJS_LEAK_CHECK") && __lsan_do_recoverable_leak_check() != 0 && code == 0) code = 23;
#endif
  // _exit, not exit: suspended fibers still own the isolate's archived state, and static destructors racing
  // them would crash. Nothing buffered is lost: console writes are unbuffered.
  _exit(code);
}

void ReportValue(v8::Isolate* isolate, v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string out;
  int line = message.IsEmpty() ? 0 : message->GetLineNumber(context).FromMaybe(0);
  int column = message.IsEmpty() ? -1 : message->GetStartColumn(context).FromMaybe(-1);
  if (line > 0 && column >= 0 &&
      message->GetScriptResourceName()->IsString()) {  // errors thrown by the loader have no location
    std::string file = Describe(isolate, message->GetScriptResourceName());
    out += file + ":" + std::to_string(line) + ":" + std::to_string(column + 1) + "\n";
    v8::Local<v8::String> source_line;
    if (message->GetSourceLine(context).ToLocal(&source_line)) {
      std::string text = ToUtf8(isolate, source_line);
      out += text + "\n" + std::string(static_cast<size_t>(column), ' ') + "^\n";
    }
    out += "\n";
  }
  std::string description = StackOf(isolate, exception);
  if (description.empty()) description = "Uncaught " + Describe(isolate, exception);
  out += description + "\n";
  WriteAll(2, out);
}

void ReportException(v8::Isolate* isolate, const v8::TryCatch& try_catch) {
  ReportValue(isolate, try_catch.Exception(), try_catch.Message());
}

v8::Local<v8::String> NewUtf8(v8::Isolate* isolate, const char* text) {
  return v8::String::NewFromUtf8(isolate, text).ToLocalChecked();
}

}  // namespace corojs
