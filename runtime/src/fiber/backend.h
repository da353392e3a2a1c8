// Inside runtime/src/fiber/ only: what a fiber backend provides to the scheduler (scheduler.cc). The scheduler
// decides who runs next and holds the isolate while deciding; a backend only knows how to stop running one
// fiber and start running another. Three exist: fcontext_backend.cc and ucontext_backend.cc (the spec's
// same-thread switches, made V8-safe by v8_thread_identity.h; see same_thread.h) and thread_backend.cc (an
// OS thread per fiber, the fallback).
#pragma once

#include <v8.h>

#include <cstdint>
#include <memory>
#include <string>

#include "fiber/stack.h"
#include "fiber/v8_job_state.h"

namespace corojs::fiber {

enum class State { kIdle, kLive };

// A fiber as the scheduler sees it; each backend derives its own with its switching state.
class Fiber {
 public:
  virtual ~Fiber() = default;

  uint64_t id = 0;
  State state = State::kIdle;
  bool in_queue = false;
  bool retire = false;                // leaves for good after the current job (the pool is full)
  bool running_jobs = false;          // inside a promise-job loop it started (it is, or was, the job runner)
  JobLoopState jobs;                  // its own view of V8's job loop while it is switched out
  std::unique_ptr<FiberStack> stack;  // null for the main fiber, which runs on the process stack
  v8::Global<v8::Function> job;
};

// Every method except Create runs with the isolate unlocked.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;
  virtual Fiber* main_fiber() = 0;
  // A fiber with its own `stack_size` stack, which runs FiberBody(fiber) when first transferred to.
  // nullptr (errno set: EAGAIN, ENOMEM) when none can be made.
  virtual Fiber* Create(size_t stack_size) = 0;
  // Runs `next`; returns when some fiber transfers back to `self`.
  virtual void Transfer(Fiber* self, Fiber* next) = 0;
  // As Transfer, for a fiber that finished its job and waits in the pool for another.
  virtual void Park(Fiber* self, Fiber* next) = 0;
  // Runs `next`, never to come back to `self`. The thread backend returns (its thread then ends); the ucontext
  // backend does not. Either way Destroy(self) is later called from another fiber.
  virtual void Leave(Fiber* self, Fiber* next) = 0;
  virtual void Destroy(Fiber* fiber) = 0;
};

// Maps a `size`-byte stack with its guard page (and `top_reserve` bytes above it) for `fiber`; false
// (errno = ENOMEM) if it cannot be mapped.
bool GiveStack(Fiber* fiber, size_t size, size_t top_reserve = 0);

// The scheduler's side of every fiber but the main one: runs jobs until the fiber leaves.
void FiberBody(Fiber* self);

// `pin_cpu`: the CPU every fiber thread runs on, or -1 for no pinning.
std::unique_ptr<Backend> NewThreadBackend(int pin_cpu);
// The same-thread backends (same_thread.h): nullptr, with the reason in `why_not`, when this libnode's
// thread identity cannot be found and confirmed.
std::unique_ptr<Backend> NewUcontextBackend(v8::Isolate* isolate, std::string* why_not);
std::unique_ptr<Backend> NewFcontextBackend(v8::Isolate* isolate, std::string* why_not);

}  // namespace corojs::fiber
