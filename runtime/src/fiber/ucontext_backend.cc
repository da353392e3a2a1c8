// The spec's fibers (issue 7): every fiber runs on the main OS thread, on its own mmap'd stack, and a switch is
// a ucontext swap. Plain swapping crashes V8, which keys its per-thread state by thread; so each fiber also
// carries its own V8 thread identity (v8_thread_identity.h), swapped in just before the stack is, while the
// isolate is unlocked. The scheduler's Unlocker archives the leaving fiber's V8 state under its identity and the
// Locker restores the arriving fiber's under its own: exactly what V8 does for real threads.
#include <pthread.h>
#include <ucontext.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

#include "fiber/backend.h"
#include "fiber/v8_thread_identity.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace corojs::fiber {

namespace {

// AddressSanitizer must be told about every stack switch, or it reports the new stack as an overflow.
#if defined(__SANITIZE_ADDRESS__)
void* main_stack_bottom = nullptr;
size_t main_stack_size = 0;

void RememberMainStack() {
  pthread_attr_t attr;
  pthread_getattr_np(pthread_self(), &attr);
  pthread_attr_getstack(&attr, &main_stack_bottom, &main_stack_size);
  pthread_attr_destroy(&attr);
}

// `fake_stack_save` null: the leaving fiber never comes back.
void StartSwitch(void** fake_stack_save, const Fiber* next) {
  if (next->stack) __sanitizer_start_switch_fiber(fake_stack_save, next->stack->low(), next->stack->size());
  else __sanitizer_start_switch_fiber(fake_stack_save, main_stack_bottom, main_stack_size);
}
void FinishSwitch(void* fake_stack_save) { __sanitizer_finish_switch_fiber(fake_stack_save, nullptr, nullptr); }
#else
void RememberMainStack() {}
void StartSwitch(void**, const Fiber*) {}
void FinishSwitch(void*) {}
#endif

class UcontextFiber : public Fiber {
 public:
  ucontext_t context{};
  ThreadIdentity identity;  // fresh for a new fiber: V8 gives it a thread id of its own on first use
};

UcontextFiber* AsUcontext(Fiber* fiber) { return static_cast<UcontextFiber*>(fiber); }

// makecontext passes int arguments only: the fiber pointer comes in two halves.
void Entry(unsigned high, unsigned low) {
  auto* self = reinterpret_cast<UcontextFiber*>((static_cast<uintptr_t>(high) << 32) | low);
  FinishSwitch(nullptr);
  FiberBody(self);
  abort();  // FiberBody returns only after Leave, which never comes back here
}

class UcontextBackend : public Backend {
 public:
  explicit UcontextBackend(const V8ThreadIdentity& slots) : slots_(slots) { RememberMainStack(); }

  const char* name() const override { return "ucontext"; }
  Fiber* main_fiber() override { return &main_; }

  Fiber* Create(size_t stack_size) override {
    auto fiber = std::make_unique<UcontextFiber>();
    if (!GiveStack(fiber.get(), stack_size)) return nullptr;
    if (getcontext(&fiber->context) != 0) return nullptr;
    fiber->context.uc_stack.ss_sp = fiber->stack->low();
    fiber->context.uc_stack.ss_size = fiber->stack->size();
    fiber->context.uc_link = nullptr;
    auto address = reinterpret_cast<uintptr_t>(fiber.get());
    makecontext(&fiber->context, reinterpret_cast<void (*)()>(Entry), 2, static_cast<unsigned>(address >> 32),
                static_cast<unsigned>(address & 0xffffffffu));
    return fiber.release();
  }

  void Transfer(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    void* fake_stack = nullptr;
    StartSwitch(&fake_stack, next);
    swapcontext(&AsUcontext(self)->context, &AsUcontext(next)->context);
    FinishSwitch(fake_stack);
  }

  void Park(Fiber* self, Fiber* next) override {
    // Pooled: give the stack's used pages back, keeping the few this frame still needs.
    char* frame = static_cast<char*>(__builtin_frame_address(0));
    self->stack->Release(frame - 16 * 1024);
    Transfer(self, next);
  }

  void Leave(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    StartSwitch(nullptr, next);
    setcontext(&AsUcontext(next)->context);
    abort();
  }

  void Destroy(Fiber* fiber) override { delete fiber; }

 private:
  void SwapIdentity(Fiber* self, Fiber* next) {
    AsUcontext(self)->identity = slots_.Read();
    slots_.Write(AsUcontext(next)->identity);
  }

  V8ThreadIdentity slots_;
  UcontextFiber main_;
};

}  // namespace

std::unique_ptr<Backend> NewUcontextBackend(v8::Isolate* isolate, std::string* why_not) {
  V8ThreadIdentity slots;
  if (!slots.Locate(isolate, why_not)) return nullptr;
  return std::make_unique<UcontextBackend>(slots);
}

}  // namespace corojs::fiber
