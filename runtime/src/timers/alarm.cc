// __primordials.timers: the one alarm behind setTimeout/setInterval/setImmediate (runtime/lib/timers.js).
// The stdlib keeps the timers in a heap and one dispatcher fiber waits here for the earliest of them, so a
// cleared timer costs nothing and keeps nothing alive: interrupt() wakes the dispatcher to re-plan.
#include <uv.h>

#include "fiber/scheduler.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"

namespace corojs {

namespace {

struct Alarm {
  uv_timer_t timer;
  bool initialized = false;
  fiber::Fiber* waiter = nullptr;
  bool rang = false;
  bool interrupted = false;
};

Alarm alarm_clock;

void Ring(uv_timer_t*) {
  alarm_clock.rang = true;
  if (alarm_clock.waiter) fiber::Wake(alarm_clock.waiter);
}

// wait(ms, keepAlive): blocks this fiber until `ms` (-1: no deadline) has passed or interrupt() is called;
// returns true if interrupted. `keepAlive` false lets the process end meanwhile (unref'd timers).
void Wait(const Args& info) {
  int64_t ms;
  if (!ArgCount(info, 2, "timers.wait") || !ArgInt(info, 0, "ms", -1, int64_t{1} << 40, &ms)) return;
  if (alarm_clock.waiter) {
    return ThrowCodeError(info.GetIsolate(), "EBUSY", "another fiber waits on the timer alarm", "timers.wait");
  }
  if (!alarm_clock.initialized) {
    uv_timer_init(GetLoop(), &alarm_clock.timer);
    alarm_clock.initialized = true;
  }
  alarm_clock.rang = false;
  alarm_clock.interrupted = false;
  if (ms >= 0) {
    uv_update_time(GetLoop());
    uv_timer_start(&alarm_clock.timer, Ring, static_cast<uint64_t>(ms), 0);
    if (info[1]->BooleanValue(info.GetIsolate())) uv_ref(reinterpret_cast<uv_handle_t*>(&alarm_clock.timer));
    else uv_unref(reinterpret_cast<uv_handle_t*>(&alarm_clock.timer));
  }
  alarm_clock.waiter = fiber::Current();
  fiber::WaitUntil([] { return alarm_clock.rang || alarm_clock.interrupted; });
  alarm_clock.waiter = nullptr;
  uv_timer_stop(&alarm_clock.timer);
  info.GetReturnValue().Set(alarm_clock.interrupted);
}

void Interrupt(const Args& info) {
  alarm_clock.interrupted = true;
  if (alarm_clock.waiter) fiber::Wake(alarm_clock.waiter);
}

}  // namespace

void InitTimersBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "wait", Wait);
  SetMethod(isolate, target, "interrupt", Interrupt);
}

}  // namespace corojs
