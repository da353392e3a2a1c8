// The fiber scheduler, common to every backend: a FIFO run queue, direct handoff (the yielding fiber picks the
// next one and runs the libuv loop itself while none is runnable), a pool of finished fibers for reuse, and the
// isolate lock: the running fiber holds it (v8::Locker) and unlocks it only around a switch, which is how V8
// archives and restores each fiber's per-thread state (frame chain, handle scopes, TryCatch chain, stack guard).
//
// The scheduling contract (docs/ARCHITECTURE.md, "The scheduling contract"): promise jobs run first, on a job-runner
// fiber of their own, so a job that blocks holds only that fiber (another takes over the jobs); then runnable fibers in
// FIFO order; then the loop, whose callbacks (timers, I/O, V8's platform tasks) only wake fibers. A wake-up during the
// loop stops it from blocking, so nothing due waits behind a poll. The process ends exactly when no fiber is runnable,
// no job is queued, the loop has nothing alive and V8 has no background work pending.
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include "fiber/backend.h"
#include "fiber/scheduler.h"
#include "handles/handle_store.h"
#include "kernel/microtasks.h"
#include "kernel/platform.h"
#include "kernel/runtime.h"

namespace corojs::fiber {

namespace {

// A finished fiber keeps its stack (and thread) for the next Fiber.run, up to this many.
constexpr size_t kMaxPooled = 128;
// Every Nth consecutive Fiber.yield also polls I/O, so fibers that only yield cannot starve sockets.
constexpr uint64_t kYieldsPerPoll = 64;
// A fiber's stack is two kernel mappings (the stack and its guard page). The kernel caps a process's
// mappings (vm.max_map_count, 65,530 by default), and V8 and malloc need mappings of their own: running out
// makes V8 abort ("Fatal process OOM") or fault. So fibers stop at a budget that leaves a quarter for them.
constexpr size_t kMappingsPerFiber = 2;

// How many fibers with stacks may exist at once under the kernel's mapping limit.
size_t FiberBudget() {
  size_t max_map_count = 65530;
  if (FILE* file = fopen("/proc/sys/vm/max_map_count", "r")) {
    unsigned long value;
    if (fscanf(file, "%lu", &value) == 1) max_map_count = value;
    fclose(file);
  }
  return (max_map_count - max_map_count / 4) / kMappingsPerFiber;
}

v8::Isolate* isolate = nullptr;
uv_loop_t* loop = nullptr;
Options options;
std::unique_ptr<Backend> backend;

Fiber* current = nullptr;
std::deque<Fiber*> run_queue;
std::vector<Fiber*> pool;
std::vector<Fiber*> stacked;  // every fiber with a stack of its own (live or pooled)
std::vector<Fiber*> retired;  // fibers that have left: Destroy them from another fiber
uint64_t next_id = 1;
size_t fiber_budget = 0;  // FiberBudget(), read at Init
uint64_t yields_since_poll = 0;
bool in_loop = false;               // inside uv_run: a wake-up must stop it from blocking
bool holding_for_platform = false;  // V8 background work keeps the loop waiting (HoldLoopForPlatform)
Stats stats;
void (*before_idle_exit)() = nullptr;

// Promise jobs (see v8_job_state.h). Without the located fields, jobs run inline where a fiber blocks.
V8JobState job_state;
Fiber* job_runner = nullptr;  // the fiber that runs promise jobs, or null until one is needed
bool runner_idle = false;     // job_runner is parked, waiting for jobs
v8::Global<v8::Function> runner_main;

size_t StackLimitMargin() { return std::min<size_t>(64 * 1024, options.stack_size / 2); }

void EnqueueFront(Fiber* fiber) {
  fiber->in_queue = true;
  run_queue.push_front(fiber);
}

void Dequeue(Fiber* fiber) {
  if (!fiber->in_queue) return;
  run_queue.erase(std::find(run_queue.begin(), run_queue.end(), fiber));
  fiber->in_queue = false;
}

void ReapRetired();

bool JobsWaiting() { return job_state.located() && (job_state.Pending() > 0 || HasUnhandledRejections()); }

[[noreturn]] void ExitIdle() {
  if (before_idle_exit) before_idle_exit();
  ExitProcess(ExitCode());
}

Fiber* TakeIdleFiber();
Fiber* StartJob(v8::Local<v8::Function> fn);

// The fiber that should run the waiting promise jobs now, or null if the runner is busy (it runs, or waits
// in the queue, and will come to them) or none can be made (then the caller runs them inline).
Fiber* TakeJobRunner() {
  if (job_runner) {
    if (!runner_idle) return nullptr;
    runner_idle = false;
    return job_runner;
  }
  v8::HandleScope scope(isolate);
  Fiber* runner = StartJob(runner_main.Get(isolate));
  if (!runner) return nullptr;
  job_runner = runner;
  runner_idle = false;
  return runner;
}

// The next fiber to run, running the loop while none is runnable; nullptr when nothing can ever run again.
Fiber* NextRunnable() {
  for (;;) {
    if (JobsWaiting()) {
      if (Fiber* runner = TakeJobRunner()) return runner;
      if (!job_runner) RunMicrotasks(isolate);  // no fiber to spare: run them here rather than never
    }
    if (!run_queue.empty()) {
      Fiber* next = run_queue.front();
      run_queue.pop_front();
      next->in_queue = false;
      return next;
    }
    if (RunPlatformTasks()) continue;
    yields_since_poll = 0;
    // V8's background work is asked about only when the loop would end, and while it holds the loop open.
    if (holding_for_platform) holding_for_platform = HoldLoopForPlatform();
    in_loop = true;
    int alive = uv_run(loop, UV_RUN_ONCE);
    in_loop = false;
    if (alive == 0 && run_queue.empty() && !JobsWaiting()) {
      holding_for_platform = HoldLoopForPlatform();
      if (!holding_for_platform) return nullptr;
    }
  }
}

// Gives the CPU from `self` to `next`; returns when `self` is scheduled again, holding the isolate.
void HandOff(Fiber* self, Fiber* next) {
  stats.switches++;
  if (job_state.located()) self->jobs = job_state.Read();
  {
    v8::Unlocker unlocker(isolate);
    current = next;
    backend->Transfer(self, next);
    // Leaving this scope re-takes the isolate and restores this fiber's V8 state.
  }
  if (job_state.located()) job_state.Write(self->jobs);
}

// `self` is about to block: if a promise job it runs is what blocks, that job keeps this fiber and the
// jobs behind it go to another runner.
void ReleaseRunnerRole(Fiber* self) {
  if (self == job_runner && self->running_jobs) job_runner = nullptr;
}

// The job runner's body: runs promise jobs whenever some are queued, until a blocked job made it give the
// role to another fiber and that fiber still has it.
void RunJobsForever(const v8::FunctionCallbackInfo<v8::Value>&) {
  Fiber* self = current;
  for (;;) {
    self->running_jobs = true;
    RunMicrotasks(isolate);
    self->running_jobs = false;
    if (job_runner != self) {
      if (job_runner) return;
      job_runner = self;
    }
    runner_idle = true;
    ReapRetired();
    Fiber* next = NextRunnable();
    if (!next) ExitIdle();
    if (next != self) HandOff(self, next);
  }
}

void ReapRetired() {
  for (Fiber* fiber : retired) backend->Destroy(fiber);
  retired.clear();
}

// Runs the fiber's job with the isolate held, and picks the fiber to run next.
Fiber* RunJob(Fiber* self) {
  v8::Locker locker(isolate);
  v8::Isolate::Scope isolate_scope(isolate);
  // V8's default limit (984 KiB) would run past a 1 MiB stack: overflow must be a RangeError, not a fault.
  isolate->SetStackLimit(reinterpret_cast<uintptr_t>(self->stack->low()) + StackLimitMargin());
  if (job_state.located()) job_state.Write(JobLoopState());  // a new job is in no promise-job loop
  {
    v8::HandleScope handle_scope(isolate);
    v8::Local<v8::Context> context = GetContext();
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Function> fn = self->job.Get(isolate);
    self->job.Reset();
    v8::TryCatch try_catch(isolate);
    v8::MaybeLocal<v8::Value> result = fn->Call(context, v8::Undefined(isolate), 0, nullptr);
    if (result.IsEmpty() && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      ReportException(isolate, try_catch);
      ExitProcess(1);
    }
    if (!job_state.located()) RunMicrotasks(isolate);
  }
  HandleStore::CloseOwnedBy(self->id);
  stats.live--;
  self->state = State::kIdle;
  Dequeue(self);  // a stale wake-up must not run an idle fiber
  if (pool.size() < kMaxPooled) {
    pool.push_back(self);
  } else {
    self->retire = true;
    stacked.erase(std::find(stacked.begin(), stacked.end(), self));
    retired.push_back(self);
  }
  Fiber* next = NextRunnable();
  if (!next) ExitIdle();
  current = next;
  stats.switches++;
  return next;
}

// A pooled fiber, or a new one; nullptr (errno set) if none can be made.
Fiber* TakeIdleFiber() {
  if (!pool.empty()) {
    Fiber* fiber = pool.back();
    pool.pop_back();
    return fiber;
  }
  if (stacked.size() >= fiber_budget) {
    errno = EAGAIN;
    return nullptr;
  }
  Fiber* fiber = backend->Create(options.stack_size);
  if (fiber) stacked.push_back(fiber);
  return fiber;
}

// A live fiber that will run `fn` when first scheduled; nullptr (errno set) if none can be made.
Fiber* StartJob(v8::Local<v8::Function> fn) {
  ReapRetired();
  Fiber* fiber = TakeIdleFiber();
  if (!fiber) return nullptr;
  fiber->job.Reset(isolate, fn);
  fiber->id = next_id++;
  fiber->retire = false;
  fiber->running_jobs = false;
  fiber->state = State::kLive;
  stats.created++;
  stats.live++;
  return fiber;
}

// The CPU to pin to, or -1.
int PinnedCpu() {
  if (options.cpu == -2) return -1;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof(allowed), &allowed);
  int cpu = options.cpu;
  if (cpu < 0) {
    for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); cpu++) {
    }
  }
  if (cpu >= CPU_SETSIZE) return -1;
  cpu_set_t pinned;
  CPU_ZERO(&pinned);
  CPU_SET(cpu, &pinned);
  // Cross-core wake-ups cost ~3 us a switch against ~0.7 us on one core (ARCHITECTURE.md).
  return sched_setaffinity(0, sizeof(pinned), &pinned) == 0 ? cpu : -1;
}

}  // namespace

bool GiveStack(Fiber* fiber, size_t size, size_t top_reserve) {
  try {
    fiber->stack = std::make_unique<FiberStack>(size, top_reserve);
  } catch (const std::bad_alloc&) {
    errno = ENOMEM;
    return false;
  }
  return true;
}

void FiberBody(Fiber* self) {
  for (;;) {
    Fiber* next = RunJob(self);
    if (self->retire) {
      isolate->DiscardThreadSpecificMetadata();  // V8's record of this fiber's thread identity
      backend->Leave(self, next);
      return;
    }
    // A finished fiber waits in the pool, so it may itself be the next job (e.g. the new job runner).
    if (next != self) backend->Park(self, next);
  }
}

bool IsBackendName(const std::string& name) { return name == "fcontext" || name == "ucontext" || name == "thread"; }

std::string V8FlagsFor(const Options& options) {
  // Wasm code GC walks every thread's archived stack, which same-thread fibers do not keep where it looks.
  return options.backend == "thread" ? "" : "--no-wasm-code-gc";
}

void Init(v8::Isolate* isolate_in, uv_loop_t* loop_in, const Options& options_in) {
  isolate = isolate_in;
  loop = loop_in;
  options = options_in;
  int cpu = PinnedCpu();
  // The default is the fastest backend that passes its self-test: same-thread fcontext, else threads.
  std::string wanted = options.backend.empty() ? "fcontext" : options.backend;
  if (wanted != "thread") {
    std::string why_not;
    backend = wanted == "ucontext" ? NewUcontextBackend(isolate, &why_not) : NewFcontextBackend(isolate, &why_not);
    if (!backend) {
      fprintf(stderr, "corojs: %s fiber backend unavailable (%s); using the thread backend\n", wanted.c_str(),
              why_not.c_str());
    }
  }
  if (!backend) backend = NewThreadBackend(cpu);
  current = backend->main_fiber();
  current->state = State::kLive;
  stats.backend = backend->name();
  stats.live = 1;
  stats.stack_size = options.stack_size;
  fiber_budget = FiberBudget();
  if (options.limit > 0) fiber_budget = std::min(fiber_budget, options.limit);

  v8::Local<v8::Context> context = GetContext();
  std::string why_not;
  if (!job_state.Locate(isolate, context, &why_not)) {
    fprintf(stderr, "corojs: promise jobs run inline (%s): a job that blocks delays the fiber it runs on\n",
            why_not.c_str());
  }
  runner_main.Reset(isolate, v8::Function::New(context, RunJobsForever).ToLocalChecked());
}

void SetBeforeIdleExit(void (*hook)()) { before_idle_exit = hook; }

Fiber* Current() { return current; }
uint64_t CurrentId() { return current->id; }
uint64_t OwnerId() { return current == job_runner || current->running_jobs ? 0 : current->id; }

bool Spawn(v8::Local<v8::Function> fn) {
  Fiber* child = StartJob(fn);
  if (!child) return false;
  Fiber* self = current;
  EnqueueFront(self);  // the creator is first in line when the new fiber blocks or ends
  HandOff(self, child);
  return true;
}

void Suspend() {
  Fiber* self = current;
  ReleaseRunnerRole(self);
  ReapRetired();
  if (!job_state.located()) RunMicrotasks(isolate);
  Fiber* next = NextRunnable();
  if (!next) ExitIdle();  // every fiber waits and nothing is pending: nothing can ever run
  if (next != self) HandOff(self, next);
}

void Wake(Fiber* fiber) {
  if (fiber->in_queue || fiber->state != State::kLive) return;
  fiber->in_queue = true;
  run_queue.push_back(fiber);
  if (in_loop) uv_stop(loop);  // the loop must not block now that a fiber can run
}

void Yield() {
  Fiber* self = current;
  if ((run_queue.empty() && !JobsWaiting()) || ++yields_since_poll >= kYieldsPerPoll) {
    yields_since_poll = 0;
    RunPlatformTasks();
    in_loop = true;
    uv_run(loop, UV_RUN_NOWAIT);
    in_loop = false;
    if (run_queue.empty() && !JobsWaiting()) return;
  }
  ReleaseRunnerRole(self);
  Wake(self);
  Fiber* next = NextRunnable();
  if (next != self) HandOff(self, next);
}

void FinishMain() {
  Fiber* self = current;
  self->state = State::kIdle;
  stats.live--;
  Dequeue(self);
  Fiber* next = NextRunnable();
  if (!next) ExitIdle();
  HandOff(self, next);  // nobody wakes an idle fiber: the process ends from another fiber
  ExitIdle();
}

Stats GetStats() {
  Stats out = stats;
  out.pooled = pool.size();
  for (Fiber* fiber : stacked) {
    out.stack_reserved_bytes += fiber->stack->size();
    out.stack_resident_bytes += fiber->stack->ResidentBytes();
  }
  return out;
}

}  // namespace corojs::fiber
