// Builds the single global __primordials: one sub-object per capability, in the spec's order. This table is
// the map of the C++/JS boundary.
#include "kernel/primordials.h"

#include "kernel/args.h"
#include "kernel/binding.h"

namespace corojs {

namespace {

struct Capability {
  const char* name;
  void (*init)(v8::Isolate*, v8::Local<v8::Object>);
};

const Capability kCapabilities[] = {
    {"fiber", InitFiberBindings},        // spec 3: fiber.run; + yield, sleep, wait, stats, id
    {"fs", InitFsBindings},              // spec 3: fs
    {"net", InitNetBindings},            // spec 3: net
    {"dns", InitDnsBindings},            // spec 3: dns
    {"tls", InitTlsBindings},            // spec 3: tls
    {"console", InitConsoleBindings},    // console.log's output
    {"process", InitProcessBindings},    // argv, env, exit, pid, hrtime
    {"handles", InitHandlesBindings},    // HandleStore ownership and counts
    {"encoding", InitEncodingBindings},  // UTF-8 for TextEncoder/TextDecoder
    {"timers", InitTimersBindings},      // the alarm behind setTimeout/setInterval/setImmediate
};

}  // namespace

void SetMethod(v8::Isolate* isolate, v8::Local<v8::Object> target, const char* name, v8::FunctionCallback callback) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> key = NewString(isolate, name);
  v8::Local<v8::Function> fn = v8::FunctionTemplate::New(isolate, callback)->GetFunction(context).ToLocalChecked();
  fn->SetName(key);
  target->Set(context, key, fn).Check();
}

void InstallPrimordials(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::Local<v8::Object> primordials = v8::Object::New(isolate);
  for (const Capability& capability : kCapabilities) {
    v8::Local<v8::Object> target = v8::Object::New(isolate);
    capability.init(isolate, target);
    primordials->Set(context, NewString(isolate, capability.name), target).Check();
  }
  context->Global()->Set(context, NewString(isolate, "__primordials"), primordials).Check();
}

}  // namespace corojs
