// __primordials.fiber: run (spec), and the extensions yield, sleep, stats, id.
#include <malloc.h>

#include <cerrno>
#include <cstring>

#include "fiber/handle_block_pool.h"
#include "fiber/scheduler.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/microtasks.h"
#include "timers/sleep.h"

namespace corojs {

namespace {

void Run(const Args& info) {
  v8::Local<v8::Function> fn;
  if (!ArgCount(info, 1, "fiber.run") || !ArgFunction(info, 0, "fn", &fn)) return;
  if (!fiber::Spawn(fn)) {
    int err = errno;
    ThrowCodeError(
        info.GetIsolate(), err == ENOMEM ? "ENOMEM" : "EAGAIN",
        std::string("cannot create a fiber: ") + strerror(err) +
            (err == EAGAIN
                 ? " (the fiber limit under vm.max_map_count is reached; fibers can be created again as others end)"
                 : ""),
        "fiber.run");
  }
}

void Yield(const Args& info) { fiber::Yield(); }

void Sleep(const Args& info) {
  int64_t ms;
  if (!ArgCount(info, 1, "fiber.sleep") || !ArgInt(info, 0, "ms", 0, int64_t{1} << 40, &ms)) return;
  SleepFor(static_cast<uint64_t>(ms));
}

// Blocks this fiber until the promise settles: returns its value or throws its reason.
void Wait(const Args& info) {
  if (!ArgCount(info, 1, "fiber.wait")) return;
  if (!info[0]->IsPromise()) return info.GetReturnValue().Set(info[0]);
  v8::Local<v8::Promise> promise = info[0].As<v8::Promise>();
  AwaitPromise(info.GetIsolate(), promise);
  if (promise->State() == v8::Promise::kRejected) {
    info.GetIsolate()->ThrowException(promise->Result());
    return;
  }
  info.GetReturnValue().Set(promise->Result());
}

void Id(const Args& info) { info.GetReturnValue().Set(NewId(info.GetIsolate(), fiber::CurrentId())); }

void StatsOf(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  fiber::Stats stats = fiber::GetStats();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  auto set = [&](const char* key, double value) {
    out->Set(context, NewString(isolate, key), v8::Number::New(isolate, value)).Check();
  };
  out->Set(context, NewString(isolate, "backend"), NewString(isolate, stats.backend)).Check();
  set("live", static_cast<double>(stats.live));
  set("created", static_cast<double>(stats.created));
  set("switches", static_cast<double>(stats.switches));
  set("pooled", static_cast<double>(stats.pooled));
  set("stack_size", static_cast<double>(stats.stack_size));
  set("stack_reserved_bytes", static_cast<double>(stats.stack_reserved_bytes));
  set("stack_resident_bytes", static_cast<double>(stats.stack_resident_bytes));
  // Where an idle fiber's other bytes go (the fiber-memory runner's breakdown): V8's handle-scope blocks (their
  // own mapping), the C heap (V8's archived thread state, the scheduler's records) and V8's heap (JS objects).
  set("handle_blocks_resident_bytes", static_cast<double>(HandleBlocksResidentBytes()));
  struct mallinfo2 c_heap = mallinfo2();
  set("malloc_in_use_bytes", static_cast<double>(c_heap.uordblks + c_heap.hblkhd));
  v8::HeapStatistics v8_heap;
  isolate->GetHeapStatistics(&v8_heap);
  set("v8_heap_used_bytes", static_cast<double>(v8_heap.used_heap_size()));
  info.GetReturnValue().Set(out);
}

}  // namespace

void InitFiberBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "run", Run);
  SetMethod(isolate, target, "yield", Yield);
  SetMethod(isolate, target, "sleep", Sleep);
  SetMethod(isolate, target, "wait", Wait);
  SetMethod(isolate, target, "id", Id);
  SetMethod(isolate, target, "stats", StatsOf);
}

}  // namespace corojs
