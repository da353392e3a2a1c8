// Same-thread fibers switched with POSIX ucontext (issue 7; see same_thread.h). `swapcontext` also saves and
// restores the signal mask: two rt_sigprocmask system calls per switch, which the fcontext backend avoids.
#include <ucontext.h>

#include <cstdint>
#include <cstdlib>

#include "fiber/handle_slot.h"
#include "fiber/same_thread.h"

namespace corojs::fiber {

namespace {

class UcontextFiber : public SameThreadFiber {
 public:
  ucontext_t context{};
};

UcontextFiber* AsUcontext(Fiber* fiber) { return static_cast<UcontextFiber*>(fiber); }

// makecontext passes int arguments only: the fiber pointer comes in two halves.
void Entry(unsigned high, unsigned low) {
  auto* self = reinterpret_cast<UcontextFiber*>((static_cast<uintptr_t>(high) << 32) | low);
  FinishStackSwitch(nullptr);
  FiberBody(self);
  abort();  // FiberBody returns only after Leave, which never comes back here
}

class UcontextBackend : public SameThreadBackend {
 public:
  using SameThreadBackend::SameThreadBackend;

  const char* name() const override { return "ucontext"; }
  Fiber* main_fiber() override { return &main_; }

  Fiber* Create(size_t stack_size) override {
    auto fiber = std::make_unique<UcontextFiber>();
    if (!GiveStack(fiber.get(), stack_size, kHandleSlotReserve)) return nullptr;
    if (getcontext(&fiber->context) != 0) return nullptr;
    char* top = CarveHandleSlot(fiber.get());
    fiber->context.uc_stack.ss_sp = fiber->stack->low();
    fiber->context.uc_stack.ss_size = top - static_cast<char*>(fiber->stack->low());
    fiber->context.uc_link = nullptr;
    auto address = reinterpret_cast<uintptr_t>(fiber.get());
    makecontext(&fiber->context, reinterpret_cast<void (*)()>(Entry), 2, static_cast<unsigned>(address >> 32),
                static_cast<unsigned>(address & 0xffffffffu));
    return fiber.release();
  }

  void Transfer(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    void* fake_stack = nullptr;
    StartStackSwitch(&fake_stack, next);
    swapcontext(&AsUcontext(self)->context, &AsUcontext(next)->context);
    FinishStackSwitch(fake_stack);
  }

  void Leave(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    StartStackSwitch(nullptr, next);
    setcontext(&AsUcontext(next)->context);
    abort();
  }

 private:
  UcontextFiber main_;
};

}  // namespace

std::unique_ptr<Backend> NewUcontextBackend(v8::Isolate* isolate, std::string* why_not) {
  V8ThreadIdentity slots;
  if (!slots.Locate(isolate, why_not)) return nullptr;
  return std::make_unique<UcontextBackend>(slots);
}

}  // namespace corojs::fiber
