// Inside runtime/src/fiber/ only: what the two same-thread backends share (ucontext_backend.cc,
// fcontext_backend.cc). Every fiber runs on the main OS thread, on its own mmap'd stack. Plain stack
// switching crashes V8, which keys its per-thread state by thread; so each fiber also carries its own V8
// thread identity (v8_thread_identity.h), swapped in just before the stack is, while the isolate is unlocked.
// The scheduler's Unlocker archives the leaving fiber's V8 state under its identity and the Locker restores
// the arriving fiber's under its own: exactly what V8 does for real threads.
#pragma once

#include "fiber/backend.h"
#include "fiber/v8_thread_identity.h"

namespace corojs::fiber {

class SameThreadFiber : public Fiber {
 public:
  ThreadIdentity identity;  // fresh for a new fiber: V8 gives it a thread id of its own on first use
};

class SameThreadBackend : public Backend {
 public:
  explicit SameThreadBackend(const V8ThreadIdentity& slots);

  // Pooled: gives the stack's used pages back, keeping the few this frame still needs, then transfers.
  void Park(Fiber* self, Fiber* next) override;
  // Unmaps the fiber's stack, unless V8 still holds the handle block on it (handle_slot.h): then it is kept.
  void Destroy(Fiber* fiber) override;

 protected:
  // Call just before the stack switch: V8 must see `next`'s thread identity from now on.
  void SwapIdentity(Fiber* self, Fiber* next);

 private:
  V8ThreadIdentity slots_;
};

// AddressSanitizer must be told about every stack switch, or it reports the new stack as an overflow; without
// ASan these do nothing. `fake_stack_save` null: the leaving fiber never comes back.
void StartStackSwitch(void** fake_stack_save, const Fiber* next);
void FinishStackSwitch(void* fake_stack_save);

}  // namespace corojs::fiber
