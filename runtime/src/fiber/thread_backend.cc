// Thread-backed fibers (ARCHITECTURE.md): every fiber owns an OS thread running on a runtime-allocated 1 MiB
// stack; exactly one holds the isolate (v8::Locker) and a switch hands a semaphore baton directly to the next
// fiber. V8 saves and restores its per-thread state (frame chain, handle scopes, TryCatch chain, stack guard)
// through Locker/Unlocker, which plain ucontext switching would corrupt.
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include "fiber/scheduler.h"
#include "fiber/stack.h"
#include "handles/handle_store.h"
#include "kernel/runtime.h"

namespace corojs::fiber {

enum class State { kIdle, kLive };

class Fiber {
 public:
  Fiber() { sem_init(&baton, 0, 0); }
  ~Fiber() { sem_destroy(&baton); }

  uint64_t id = 0;
  State state = State::kIdle;
  bool in_queue = false;
  bool retire = false;  // its thread exits after the current job (the pool is full)
  sem_t baton;
  std::unique_ptr<FiberStack> stack;  // null for the main fiber, which runs on the process stack
  pthread_t thread{};
  v8::Global<v8::Function> job;
};

namespace {

// A finished fiber keeps its thread and stack for the next Fiber.run, up to this many.
constexpr size_t kMaxPooled = 128;
// Every Nth consecutive Fiber.yield also polls I/O, so fibers that only yield cannot starve sockets.
constexpr uint64_t kYieldsPerPoll = 64;

v8::Isolate* isolate = nullptr;
uv_loop_t* loop = nullptr;
Options options;
cpu_set_t pinned_cpus;
bool pin_threads = false;

Fiber main_fiber;
Fiber* current = &main_fiber;
std::deque<Fiber*> run_queue;
std::vector<Fiber*> pool;
std::vector<Fiber*> threads;  // every fiber that owns a thread (live or pooled)
std::vector<Fiber*> retired;  // threads that have exited or are exiting: join, then free their stacks
uint64_t next_id = 1;
uint64_t yields_since_poll = 0;
Stats stats;

size_t StackLimitMargin() { return std::min<size_t>(64 * 1024, options.stack_size / 2); }

void EnqueueFront(Fiber* fiber) {
  fiber->in_queue = true;
  run_queue.push_front(fiber);
}

// The next fiber to run, running the loop while none is runnable; nullptr when nothing can ever run again.
Fiber* NextRunnable() {
  for (;;) {
    if (!run_queue.empty()) {
      Fiber* next = run_queue.front();
      run_queue.pop_front();
      next->in_queue = false;
      return next;
    }
    yields_since_poll = 0;
    if (uv_run(loop, UV_RUN_ONCE) == 0 && run_queue.empty()) return nullptr;
  }
}

// Hands the baton from `self` to `next` and sleeps until someone hands it back.
void HandOff(Fiber* self, Fiber* next) {
  stats.switches++;
  v8::Unlocker unlocker(isolate);
  current = next;
  sem_post(&next->baton);
  while (sem_wait(&self->baton) != 0 && errno == EINTR) {
  }
  // Leaving this scope re-takes the isolate; whoever posted our baton already set `current` to us.
}

void ReapRetired() {
  for (Fiber* fiber : retired) {
    pthread_join(fiber->thread, nullptr);
    delete fiber;
  }
  retired.clear();
}

void RunJob(Fiber* self) {
  Fiber* next;
  {
    v8::Locker locker(isolate);
    v8::Isolate::Scope isolate_scope(isolate);
    // V8's default limit (984 KiB) would run past a 1 MiB stack: overflow must be a RangeError, not a fault.
    isolate->SetStackLimit(reinterpret_cast<uintptr_t>(self->stack->low()) + StackLimitMargin());
    {
      v8::HandleScope handle_scope(isolate);
      v8::Local<v8::Context> context = GetContext();
      v8::Context::Scope context_scope(context);
      v8::Local<v8::Function> fn = self->job.Get(isolate);
      self->job.Reset();
      v8::TryCatch try_catch(isolate);
      (void)fn->Call(context, v8::Undefined(isolate), 0, nullptr);
      if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
        ReportException(isolate, try_catch);
        ExitProcess(1);
      }
      isolate->PerformMicrotaskCheckpoint();
    }
    HandleStore::CloseOwnedBy(self->id);
    stats.live--;
    self->state = State::kIdle;
    if (self->in_queue) {  // a stale wake-up must not hand the baton to an idle thread
      run_queue.erase(std::find(run_queue.begin(), run_queue.end(), self));
      self->in_queue = false;
    }
    if (pool.size() < kMaxPooled) {
      pool.push_back(self);
    } else {
      self->retire = true;
      threads.erase(std::find(threads.begin(), threads.end(), self));
      retired.push_back(self);
    }
    next = NextRunnable();
    if (!next) ExitProcess(ExitCode());
    current = next;
    stats.switches++;
  }
  sem_post(&next->baton);
}

void* ThreadMain(void* arg) {
  Fiber* self = static_cast<Fiber*>(arg);
  for (;;) {
    while (sem_wait(&self->baton) != 0 && errno == EINTR) {
    }
    RunJob(self);
    if (self->retire) return nullptr;
    // Parked in the pool: give the stack's used pages back, keeping the few this frame still needs.
    char* frame = static_cast<char*>(__builtin_frame_address(0));
    self->stack->Release(frame - 16 * 1024);
  }
}

// A fiber with a parked thread, or a new one; nullptr (errno set) if no thread can be made.
Fiber* TakeIdleFiber() {
  if (!pool.empty()) {
    Fiber* fiber = pool.back();
    pool.pop_back();
    return fiber;
  }
  auto fiber = std::make_unique<Fiber>();
  try {
    fiber->stack = std::make_unique<FiberStack>(options.stack_size);
  } catch (const std::bad_alloc&) {
    errno = ENOMEM;
    return nullptr;
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, fiber->stack->low(), fiber->stack->size());
  if (pin_threads) pthread_attr_setaffinity_np(&attr, sizeof(pinned_cpus), &pinned_cpus);
  int rc = pthread_create(&fiber->thread, &attr, ThreadMain, fiber.get());
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    errno = rc;
    return nullptr;
  }
  threads.push_back(fiber.get());
  return fiber.release();
}

}  // namespace

void Init(v8::Isolate* isolate_in, uv_loop_t* loop_in, const Options& options_in) {
  isolate = isolate_in;
  loop = loop_in;
  options = options_in;
  main_fiber.state = State::kLive;
  stats.live = 1;
  stats.stack_size = options.stack_size;
  if (options.cpu != -2) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    sched_getaffinity(0, sizeof(allowed), &allowed);
    int cpu = options.cpu;
    if (cpu < 0) {
      for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); cpu++) {
      }
    }
    if (cpu < CPU_SETSIZE) {
      CPU_ZERO(&pinned_cpus);
      CPU_SET(cpu, &pinned_cpus);
      // Cross-core wake-ups cost ~3 us a switch against ~0.7 us on one core (ARCHITECTURE.md).
      pin_threads = sched_setaffinity(0, sizeof(pinned_cpus), &pinned_cpus) == 0;
    }
  }
}

Fiber* Current() { return current; }
uint64_t CurrentId() { return current->id; }
uint64_t IdOf(Fiber* fiber) { return fiber->id; }

bool Spawn(v8::Local<v8::Function> fn) {
  ReapRetired();
  Fiber* child = TakeIdleFiber();
  if (!child) return false;
  child->job.Reset(isolate, fn);
  child->id = next_id++;
  child->retire = false;
  child->state = State::kLive;
  stats.created++;
  stats.live++;
  Fiber* self = current;
  EnqueueFront(self);  // the creator is first in line when the new fiber blocks or ends
  HandOff(self, child);
  return true;
}

void Suspend() {
  Fiber* self = current;
  ReapRetired();
  Fiber* next = NextRunnable();
  if (!next) ExitProcess(ExitCode());  // every fiber waits and nothing is pending: nothing can ever run
  if (next != self) HandOff(self, next);
}

void Wake(Fiber* fiber) {
  if (fiber->in_queue || fiber->state != State::kLive) return;
  fiber->in_queue = true;
  run_queue.push_back(fiber);
}

void Yield() {
  if (run_queue.empty() || ++yields_since_poll >= kYieldsPerPoll) {
    yields_since_poll = 0;
    uv_run(loop, UV_RUN_NOWAIT);
    if (run_queue.empty()) return;
  }
  Fiber* self = current;
  Wake(self);
  Fiber* next = NextRunnable();
  if (next != self) HandOff(self, next);
}

void FinishMain() {
  main_fiber.state = State::kIdle;
  stats.live--;
  if (main_fiber.in_queue) {
    run_queue.erase(std::find(run_queue.begin(), run_queue.end(), &main_fiber));
    main_fiber.in_queue = false;
  }
  Fiber* next = NextRunnable();
  if (!next) ExitProcess(ExitCode());
  HandOff(&main_fiber, next);  // nobody wakes an idle fiber: the process ends from another fiber
  ExitProcess(ExitCode());
}

Stats GetStats() {
  Stats out = stats;
  out.pooled = pool.size();
  for (Fiber* fiber : threads) {
    out.stack_reserved_bytes += fiber->stack->size();
    out.stack_resident_bytes += fiber->stack->ResidentBytes();
  }
  return out;
}

}  // namespace corojs::fiber
