// The spec's V8-free fiber core (spec 2.2): stackful coroutines on one OS thread, POSIX ucontext or Windows
// Fibers, fixed 1 MiB mmap'd stacks. The runtime cannot run V8 on it (ARCHITECTURE.md: V8 crashes under
// out-of-order ucontext switches), so it serves the lab as the raw-switch rung and any future V8-safe backend.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "fiber/stack.h"

namespace corojs::core {

class Fiber {
 public:
  using Body = std::function<void()>;

  explicit Fiber(Body body, size_t stack_size = kDefaultStackSize);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Switches from the calling context into this fiber; returns when it yields or finishes.
  // Resuming a finished fiber, or a fiber from inside itself, is a no-op returning false.
  bool Resume();
  // Inside a fiber: switches back to the context that resumed it. Outside any fiber: no-op.
  static void Yield();
  // The fiber running now, or nullptr on the thread's own stack.
  static Fiber* Current();

  bool finished() const { return finished_; }
  const FiberStack* stack() const { return stack_.get(); }  // nullptr on Windows (the OS owns the stack)

  // Entry point for the platform switch code; not for callers.
  static void Trampoline(Fiber* self);

 private:
  struct Context;

  Body body_;
  std::unique_ptr<FiberStack> stack_;
  std::unique_ptr<Context> context_;
  Fiber* resumer_ = nullptr;
  bool finished_ = false;
  bool running_ = false;
};

}  // namespace corojs::core
