// __primordials.console.write(fd, text): console.log/error's output, unbuffered so nothing is lost at exit.
// console.proxyTarget(value), console.promiseState(promise): what lib/inspect.js cannot see from JS (a Proxy's
// target without running its traps, a Promise's state).
// Formatting lives in lib/inspect.js.
#include <unistd.h>

#include <cerrno>

#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

void Write(const Args& info) {
  int64_t fd;
  std::string text;
  if (!ArgCount(info, 2, "console.write") || !ArgInt(info, 0, "fd", 1, 2, &fd) || !ArgBytes(info, 1, "text", &text)) {
    return;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(static_cast<int>(fd), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // a non-blocking pipe that is full: wait for room
      usleep(1000);
      continue;
    }
    if (n <= 0) return;  // a closed stdout (EPIPE) must not kill the program
    done += static_cast<size_t>(n);
  }
}

// undefined for a value that is not a Proxy, null for a revoked one, else its target (as Node's
// getProxyDetails: printing must not call a trap, nor fail on a revoked Proxy).
void ProxyTarget(const Args& info) {
  if (!info[0]->IsProxy()) return;
  v8::Local<v8::Proxy> proxy = info[0].As<v8::Proxy>();
  if (proxy->IsRevoked()) return info.GetReturnValue().SetNull();
  info.GetReturnValue().Set(proxy->GetTarget());
}

// [state, result] of a Promise ('pending' has no result), so a printed Promise shows its value as Node's does.
void PromiseState(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsPromise()) return ThrowTypeError(isolate, "The \"promise\" argument must be a Promise");
  v8::Local<v8::Promise> promise = info[0].As<v8::Promise>();
  v8::Promise::PromiseState state = promise->State();
  bool pending = state == v8::Promise::kPending;
  const char* name = pending ? "pending" : state == v8::Promise::kFulfilled ? "fulfilled" : "rejected";
  v8::Local<v8::Value> result = pending ? v8::Undefined(isolate).As<v8::Value>() : promise->Result();
  v8::Local<v8::Value> pair[] = {NewString(isolate, name), result};
  info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
}

}  // namespace

void InitConsoleBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "write", Write);
  SetMethod(isolate, target, "proxyTarget", ProxyTarget);
  SetMethod(isolate, target, "promiseState", PromiseState);
}

}  // namespace corojs
