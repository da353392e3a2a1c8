// Promise jobs and unhandled rejections: see microtasks.h.
#include "kernel/microtasks.h"

#include <vector>

#include "fiber/scheduler.h"

#include "kernel/runtime.h"
#include "kernel/runtime_state.h"

namespace corojs {

namespace {

// Rejected promises that had no handler when they were rejected; a handler added later removes them.
std::vector<v8::Global<v8::Promise>> unhandled;

void Forget(v8::Isolate* isolate, v8::Local<v8::Promise> promise) {
  for (auto it = unhandled.begin(); it != unhandled.end(); ++it) {
    if (it->Get(isolate) == promise) {
      unhandled.erase(it);
      return;
    }
  }
}

void OnPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    unhandled.emplace_back(isolate, promise);
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    Forget(isolate, promise);
  }
}

struct PromiseWaiter {
  fiber::Fiber* fiber;
  bool settled = false;
};

void OnSettled(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* waiter = static_cast<PromiseWaiter*>(info.Data().As<v8::External>()->Value());
  waiter->settled = true;
  fiber::Wake(waiter->fiber);
}

}  // namespace

void AwaitPromise(v8::Isolate* isolate, v8::Local<v8::Promise> promise) {
  promise->MarkAsHandled();  // the caller takes the outcome, a rejection included
  Forget(isolate, promise);
  if (promise->State() != v8::Promise::kPending) return;
  v8::Local<v8::Context> context = GetContext();
  PromiseWaiter waiter{fiber::Current()};  // lives until settled: only then does this frame return
  v8::Local<v8::Function> on_settled =
      v8::Function::New(context, OnSettled, v8::External::New(isolate, &waiter)).ToLocalChecked();
  if (promise->Then(context, on_settled, on_settled).IsEmpty()) return;
  fiber::WaitUntil([&] { return waiter.settled; });
}

bool HasUnhandledRejections() { return !unhandled.empty(); }

void InitMicrotasks(v8::Isolate* isolate) {
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->SetPromiseRejectCallback(OnPromiseReject);
}

void RunMicrotasks(v8::Isolate* isolate) {
  isolate->PerformMicrotaskCheckpoint();
  // Inside a job loop (V8 refused to nest one), a later job may still handle the rejection.
  if (unhandled.empty() || GetContext()->GetMicrotaskQueue()->IsRunningMicrotasks()) return;
  v8::HandleScope scope(isolate);
  v8::Local<v8::Value> reason = unhandled.front().Get(isolate)->Result();
  ReportValue(isolate, reason, v8::Exception::CreateMessage(isolate, reason));
  ExitProcess(1);
}

}  // namespace corojs
