// The V8-free fiber core: see fiber.h. POSIX ucontext here; Windows Fibers under _WIN32.
#include "fiber/fiber.h"

#include <cstdint>
#include <new>

#ifdef _WIN32
#include <windows.h>
// winbase.h defines an empty Yield() macro (a Win16 leftover) that would erase Fiber::Yield below.
#undef Yield
#else
#include <ucontext.h>
#endif

namespace corojs::core {

namespace {
thread_local Fiber* current_fiber = nullptr;
}

#ifdef _WIN32

struct Fiber::Context {
  LPVOID fiber = nullptr;
  LPVOID caller = nullptr;
};

static void WINAPI WindowsFiberEntry(LPVOID arg) { Fiber::Trampoline(static_cast<Fiber*>(arg)); }

Fiber::Fiber(Body body, size_t stack_size)
    : body_(std::move(body)), stack_(nullptr), context_(std::make_unique<Context>()) {
  // Windows Fibers own their stacks, so FiberStack is not used: `stack_size` is the reserve (the fixed limit)
  // and pages are committed as the stack grows, so, as with the mmap'd POSIX stack, only what is touched
  // costs memory.
  context_->fiber = CreateFiberEx(0, stack_size, 0, WindowsFiberEntry, this);
  if (!context_->fiber) throw std::bad_alloc();
}

Fiber::~Fiber() {
  if (context_->fiber) DeleteFiber(context_->fiber);
}

bool Fiber::Resume() {
  if (finished_ || running_) return false;
  // Only a fiber can SwitchToFiber: the thread's own stack becomes one on first use, and stays one (the
  // thread's fiber data goes with the thread).
  if (!IsThreadAFiber() && !ConvertThreadToFiber(nullptr)) throw std::bad_alloc();
  resumer_ = current_fiber;
  current_fiber = this;
  running_ = true;
  context_->caller = GetCurrentFiber();
  SwitchToFiber(context_->fiber);
  current_fiber = resumer_;
  return true;
}

void Fiber::Yield() {
  Fiber* self = current_fiber;
  if (!self) return;
  self->running_ = false;
  SwitchToFiber(self->context_->caller);
}

#else

struct Fiber::Context {
  ucontext_t fiber;
  ucontext_t caller;
};

static void UcontextEntry(unsigned int hi, unsigned int lo) {
  // makecontext passes ints: the Fiber* travels as two 32-bit halves.
  uintptr_t bits = (static_cast<uintptr_t>(hi) << 32) | static_cast<uintptr_t>(lo);
  Fiber::Trampoline(reinterpret_cast<Fiber*>(bits));
  // Returning follows uc_link back to the resumer.
}

Fiber::Fiber(Body body, size_t stack_size)
    : body_(std::move(body)), stack_(std::make_unique<FiberStack>(stack_size)), context_(std::make_unique<Context>()) {
  getcontext(&context_->fiber);
  context_->fiber.uc_stack.ss_sp = stack_->low();
  context_->fiber.uc_stack.ss_size = stack_->size();
  context_->fiber.uc_link = &context_->caller;
  uintptr_t bits = reinterpret_cast<uintptr_t>(this);
  makecontext(&context_->fiber, reinterpret_cast<void (*)()>(UcontextEntry), 2, static_cast<unsigned int>(bits >> 32),
              static_cast<unsigned int>(bits & 0xffffffffu));
}

Fiber::~Fiber() = default;

bool Fiber::Resume() {
  if (finished_ || running_) return false;
  resumer_ = current_fiber;
  current_fiber = this;
  running_ = true;
  swapcontext(&context_->caller, &context_->fiber);
  current_fiber = resumer_;
  return true;
}

void Fiber::Yield() {
  Fiber* self = current_fiber;
  if (!self) return;
  self->running_ = false;
  swapcontext(&self->context_->fiber, &self->context_->caller);
}

#endif

Fiber* Fiber::Current() { return current_fiber; }

void Fiber::Trampoline(Fiber* self) {
  self->body_();
  self->finished_ = true;
  self->running_ = false;
#ifdef _WIN32
  SwitchToFiber(self->context_->caller);  // a Windows fiber must never return
#endif
}

}  // namespace corojs::core
