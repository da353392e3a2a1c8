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
  uv_update_time(GetLoop());  // the loop caches "now"; a stale clock would end the sleep early
  uv_timer_init(GetLoop(), &sleep->timer);
  sleep->timer.data = sleep;
  uv_timer_start(
      &sleep->timer,
      [](uv_timer_t* timer) {
        auto* s = static_cast<SleepTimer*>(timer->data);
        s->fired = true;
        fiber::Wake(s->waiter);
      },
      ms, 0);
  fiber::WaitUntil([&] { return sleep->fired; });
  uv_close(reinterpret_cast<uv_handle_t*>(&sleep->timer),
           [](uv_handle_t* handle) { delete static_cast<SleepTimer*>(handle->data); });
}

}  // namespace corojs
