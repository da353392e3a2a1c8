// The loop-waking V8 platform: see platform.h.
#include "kernel/platform.h"

#include <libplatform/libplatform.h>

#include <cmath>
#include <mutex>
#include <set>

namespace corojs {

namespace {

v8::Platform* inner = nullptr;  // the default platform, owned by LoopPlatform
v8::Isolate* isolate = nullptr;
uv_async_t wake;           // any thread: "a foreground task was posted"
uv_timer_t delayed_timer;  // loop thread: the earliest delayed task is due
std::mutex deadline_mutex;
std::multiset<double> deadlines;  // delayed tasks' due times, seconds on the platform's clock; deadline_mutex
bool attached = false;

void WakeLoop(double delay_seconds) {
  if (delay_seconds > 0) {
    std::lock_guard<std::mutex> lock(deadline_mutex);
    deadlines.insert(inner->MonotonicallyIncreasingTime() + delay_seconds);
  }
  if (attached) uv_async_send(&wake);
}

// Loop thread: run what is due, then arm the timer for the next delayed task.
void OnWake(uv_async_t*) {
  RunPlatformTasks();
  double wait_ms;
  {
    std::lock_guard<std::mutex> lock(deadline_mutex);
    double now = inner->MonotonicallyIncreasingTime();
    while (!deadlines.empty() && *deadlines.begin() <= now) deadlines.erase(deadlines.begin());
    if (deadlines.empty()) return;
    wait_ms = std::ceil((*deadlines.begin() - now) * 1000);
  }
  uv_timer_start(
      &delayed_timer, [](uv_timer_t*) { OnWake(nullptr); }, static_cast<uint64_t>(wait_ms), 0);
}

class WakingTaskRunner : public v8::TaskRunner {
 public:
  explicit WakingTaskRunner(std::shared_ptr<v8::TaskRunner> runner) : runner_(std::move(runner)) {}
  void PostTask(std::unique_ptr<v8::Task> task) override {
    runner_->PostTask(std::move(task));
    WakeLoop(0);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    runner_->PostNonNestableTask(std::move(task));
    WakeLoop(0);
  }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    runner_->PostDelayedTask(std::move(task), delay_in_seconds);
    WakeLoop(delay_in_seconds);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    runner_->PostNonNestableDelayedTask(std::move(task), delay_in_seconds);
    WakeLoop(delay_in_seconds);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override { runner_->PostIdleTask(std::move(task)); }
  bool IdleTasksEnabled() override { return runner_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return runner_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override { return runner_->NonNestableDelayedTasksEnabled(); }

 private:
  std::shared_ptr<v8::TaskRunner> runner_;
};

class LoopPlatform : public v8::Platform {
 public:
  LoopPlatform() : default_(v8::platform::NewDefaultPlatform()) { inner = default_.get(); }
  v8::PageAllocator* GetPageAllocator() override { return default_->GetPageAllocator(); }
  void OnCriticalMemoryPressure() override { default_->OnCriticalMemoryPressure(); }
  bool OnCriticalMemoryPressure(size_t length) override { return default_->OnCriticalMemoryPressure(length); }
  int NumberOfWorkerThreads() override { return default_->NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* for_isolate) override {
    return std::make_shared<WakingTaskRunner>(default_->GetForegroundTaskRunner(for_isolate));
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override { default_->CallOnWorkerThread(std::move(task)); }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    default_->CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    default_->CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    default_->CallDelayedOnWorkerThread(std::move(task), delay_in_seconds);
  }
  bool IdleTasksEnabled(v8::Isolate* for_isolate) override { return default_->IdleTasksEnabled(for_isolate); }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> job_task) override {
    return default_->PostJob(priority, std::move(job_task));
  }
  double MonotonicallyIncreasingTime() override { return default_->MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override { return default_->CurrentClockTimeMillis(); }
  StackTracePrinter GetStackTracePrinter() override { return default_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return default_->GetTracingController(); }
  void DumpWithoutCrashing() override { default_->DumpWithoutCrashing(); }

 private:
  std::unique_ptr<v8::Platform> default_;
};

}  // namespace

std::unique_ptr<v8::Platform> NewLoopPlatform() { return std::make_unique<LoopPlatform>(); }

void AttachLoopPlatform(v8::Isolate* isolate_in, uv_loop_t* loop) {
  isolate = isolate_in;
  uv_async_init(loop, &wake, OnWake);
  uv_timer_init(loop, &delayed_timer);
  // Neither keeps the process alive: foreground work alone is not a reason to stay (see HoldLoopForPlatform).
  uv_unref(reinterpret_cast<uv_handle_t*>(&wake));
  uv_unref(reinterpret_cast<uv_handle_t*>(&delayed_timer));
  attached = true;
  uv_async_send(&wake);  // tasks posted before now
}

bool RunPlatformTasks() {
  bool ran = false;
  while (v8::platform::PumpMessageLoop(inner, isolate, v8::platform::MessageLoopBehavior::kDoNotWait)) ran = true;
  return ran;
}

bool HoldLoopForPlatform() {
  bool pending = isolate->HasPendingBackgroundTasks();
  // While background work is pending, its wake-up must keep uv_run waiting for it.
  if (pending) uv_ref(reinterpret_cast<uv_handle_t*>(&wake));
  else uv_unref(reinterpret_cast<uv_handle_t*>(&wake));
  return pending;
}

}  // namespace corojs
