// The one fiber interface the rest of the runtime sees. Fibers are cooperative: exactly one runs JS at a time
// (it holds the isolate), and a fiber gives up the CPU only inside Suspend()/Yield(). Which backend implements
// the switch (an OS thread per fiber, or same-thread ucontext switches: see ARCHITECTURE.md) is invisible
// outside runtime/src/fiber/.
//
// Rules for bindings that block:
//   - start the libuv operation, then `fiber::WaitUntil([&] { return op.done; });`
//   - the libuv callback only records the result and calls `fiber::Wake(op.waiter)`; it never calls into JS.
//     It runs on whichever fiber is running the loop, with the isolate held.
//   - keep the state the callback touches alive (heap or shared_ptr) even if the waiting fiber dies or the
//     handle is closed meanwhile.
#pragma once

#include <uv.h>
#include <v8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace corojs::fiber {

class Fiber;

struct Options {
  size_t stack_size = 1 << 20;  // fixed per fiber (spec: 1 MiB); --fiber-stack-size only for the lab's sweep
  int cpu = -1;                 // CPU every fiber thread is pinned to; -1 = the first CPU we may run on; -2 = none
  std::string backend;          // --fiber-backend: "fcontext", "ucontext" or "thread"; empty: the default (fcontext,
                                // or thread if same-thread fibers fail their self-test on this libnode)
  size_t limit = 0;             // --fiber-limit: at most this many fibers with stacks (0: the mapping budget alone)
};

// Checks a --fiber-backend name.
bool IsBackendName(const std::string& name);
// V8 flags the chosen backend needs; set them before V8 is initialized.
std::string V8FlagsFor(const Options& options);

struct Stats {
  const char* backend = "thread";  // the backend actually running (same-thread ones fall back to thread if unsafe)
  uint64_t live = 0;               // fibers started and not finished, including the main fiber
  uint64_t created = 0;            // fibers created since start (not counting the main fiber)
  uint64_t switches = 0;           // fiber-to-fiber switches
  uint64_t pooled = 0;             // finished fibers whose thread and stack wait for reuse
  size_t stack_size = 0;
  size_t stack_reserved_bytes = 0;  // mapped fiber stacks (live and pooled)
  size_t stack_resident_bytes = 0;  // pages of those stacks actually in RAM (mincore)
};

// Called once on the main thread, which becomes the main fiber (id 0) and holds the isolate. If a same-thread
// backend (the default) cannot be made safe on this libnode, prints one line saying so and uses threads.
void Init(v8::Isolate* isolate, uv_loop_t* loop, const Options& options);

Fiber* Current();
uint64_t CurrentId();  // 0 for the main fiber
// The fiber that owns handles opened now (HandleStore): the current one, or 0 (like the main fiber: until
// closed or exit) inside promise jobs, which belong to no fiber.
uint64_t OwnerId();
// Called when the process is about to end because nothing can run and nothing is pending (before exiting
// with ExitCode()); it may exit itself with another status.
void SetBeforeIdleExit(void (*hook)());

// Fiber.run: starts `fn` in a new fiber at once; the caller resumes when it is next scheduled (when the new
// fiber first blocks or ends, the caller is first in line).
// Returns false (errno set: EAGAIN, ENOMEM) when no fiber can be created.
bool Spawn(v8::Local<v8::Function> fn);

// Gives up the CPU until someone calls Wake() on this fiber. Runs the libuv loop itself when no other fiber is
// runnable. Spurious returns are allowed: always wait through WaitUntil.
void Suspend();
// Makes `fiber` runnable. Idempotent; safe from libuv callbacks (the loop then returns without blocking).
void Wake(Fiber* fiber);

template <class Done>
void WaitUntil(Done done) {
  while (!done()) Suspend();
}

// The fibers blocked on one thing (a socket's incoming data): woken all at once, each re-checks what it
// waits for. A fiber is listed for the lifetime of an Entry on its stack.
class WaitList {
 public:
  class Entry {
   public:
    explicit Entry(WaitList* list) : list_(list), fiber_(Current()) { list_->fibers_.push_back(fiber_); }
    ~Entry() {
      list_->fibers_.erase(std::remove(list_->fibers_.begin(), list_->fibers_.end(), fiber_), list_->fibers_.end());
    }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    WaitList* list_;
    Fiber* fiber_;
  };
  void WakeAll() const {
    for (Fiber* fiber : fibers_) Wake(fiber);
  }

 private:
  std::vector<Fiber*> fibers_;
};

// Fiber.yield: lets every other runnable fiber run (and polls I/O), then returns.
void Yield();

// The main module has finished: the main fiber steps aside; the process exits when no fiber can run and the
// loop has nothing left. Never returns.
[[noreturn]] void FinishMain();

Stats GetStats();

}  // namespace corojs::fiber
