// The runtime's process-wide state, written only by the kernel's start-up (main.cc).
#pragma once

#include <uv.h>
#include <v8.h>

#include "kernel/runtime.h"

namespace corojs {

struct RuntimeState {
  v8::Isolate* isolate = nullptr;
  uv_loop_t* loop = nullptr;
  v8::Global<v8::Context> context;
  RuntimeOptions options;
};

RuntimeState& MutableRuntimeState();

// Prints an exception value with the location of `message` (may be empty) to stderr.
void ReportValue(v8::Isolate* isolate, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);
v8::Local<v8::String> NewUtf8(v8::Isolate* isolate, const char* text);

}  // namespace corojs
