// Promise jobs and unhandled rejections: see microtasks.h.
#include "kernel/microtasks.h"

#include <vector>

#include "kernel/runtime.h"
#include "kernel/runtime_state.h"

namespace corojs {

namespace {

// Rejected promises that had no handler when they were rejected; a handler added later removes them.
std::vector<v8::Global<v8::Promise>> unhandled;
bool running = false;

void OnPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    unhandled.emplace_back(isolate, promise);
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    for (auto it = unhandled.begin(); it != unhandled.end(); ++it) {
      if (it->Get(isolate) == promise) {
        unhandled.erase(it);
        break;
      }
    }
  }
}

}  // namespace

void InitMicrotasks(v8::Isolate* isolate) {
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->SetPromiseRejectCallback(OnPromiseReject);
}

void RunMicrotasks(v8::Isolate* isolate) {
  if (running) return;  // a job that blocks its fiber reaches here again: the outer run carries on later
  running = true;
  isolate->PerformMicrotaskCheckpoint();
  running = false;
  if (unhandled.empty()) return;
  v8::HandleScope scope(isolate);
  v8::Local<v8::Value> reason = unhandled.front().Get(isolate)->Result();
  ReportValue(isolate, reason, v8::Exception::CreateMessage(isolate, reason));
  ExitProcess(1);
}

}  // namespace corojs
