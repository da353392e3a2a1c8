// Blocking the calling fiber on a libuv timer: see sleep.h.
#include "timers/sleep.h"

#include <uv.h>

#include "fiber/scheduler.h"
#include "kernel/runtime.h"

namespace corojs {

namespace {

// Heap-allocated: the timer must outlive the wait until libuv's close callback.
struct SleepTimer {
  uv_timer_t timer;
  fiber::Fiber* waiter;
  bool fired = false;
};

}  // namespace

void SleepFor(uint64_t ms) {
  auto* sleep = new SleepTimer();
  sleep->waiter = fiber::Current();
  uv_timer_init(GetLoop(), &sleep->timer);
  sleep->timer.data = sleep;
  // libuv's clock has millisecond steps, so a timer may fire up to 1 ms early: re-arm for what is left.
  uint64_t deadline = uv_hrtime() + ms * 1000000;
  uint64_t remaining_ms = ms;
  do {
    uv_update_time(GetLoop());  // the loop caches "now"; a stale clock would end the sleep early
    sleep->fired = false;
    uv_timer_start(
        &sleep->timer,
        [](uv_timer_t* timer) {
          auto* s = static_cast<SleepTimer*>(timer->data);
          s->fired = true;
          fiber::Wake(s->waiter);
        },
        remaining_ms, 0);
    fiber::WaitUntil([&] { return sleep->fired; });
    uint64_t now = uv_hrtime();
    remaining_ms = now >= deadline ? 0 : (deadline - now + 999999) / 1000000;
  } while (remaining_ms > 0);
  uv_close(reinterpret_cast<uv_handle_t*>(&sleep->timer),
           [](uv_handle_t* handle) { delete static_cast<SleepTimer*>(handle->data); });
}

}  // namespace corojs
