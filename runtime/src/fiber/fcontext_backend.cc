// Same-thread fibers switched with Boost.Context's fcontext (issue 12; see same_thread.h): `jump_fcontext`
// saves and restores only the callee-saved registers and the stack pointer, keeping the signal mask, so a
// switch makes no system call (ucontext's swapcontext makes two).
//
// fcontext is one-shot: a context can be resumed once, and the jump hands the arriving side the context
// where the leaving side stopped. So each jump passes the leaving fiber, and whoever arrives stores that
// context in it: the next jump to that fiber resumes exactly there.
#include <boost/context/detail/fcontext.hpp>

#include <cstdlib>

#include "fiber/handle_slot.h"
#include "fiber/same_thread.h"
#include "fiber/scheduler.h"

namespace corojs::fiber {

namespace {

namespace ctx = boost::context::detail;

class FcontextFiber : public SameThreadFiber {
 public:
  ctx::fcontext_t context = nullptr;
};

FcontextFiber* AsFcontext(Fiber* fiber) { return static_cast<FcontextFiber*>(fiber); }

// On arrival: remember where the fiber that jumped here stopped.
void Arrived(ctx::transfer_t from) { static_cast<FcontextFiber*>(from.data)->context = from.fctx; }

void Entry(ctx::transfer_t from) {
  FinishStackSwitch(nullptr);
  Arrived(from);
  FiberBody(Current());  // the scheduler made this fiber current before transferring to it
  abort();               // FiberBody returns only after Leave, which never comes back here
}

class FcontextBackend : public SameThreadBackend {
 public:
  using SameThreadBackend::SameThreadBackend;

  const char* name() const override { return "fcontext"; }
  Fiber* main_fiber() override { return &main_; }

  Fiber* Create(size_t stack_size) override {
    auto fiber = std::make_unique<FcontextFiber>();
    if (!GiveStack(fiber.get(), stack_size, kHandleSlotReserve)) return nullptr;
    char* top = CarveHandleSlot(fiber.get());
    fiber->context = ctx::make_fcontext(top, top - static_cast<char*>(fiber->stack->low()), Entry);
    return fiber.release();
  }

  void Transfer(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    void* fake_stack = nullptr;
    StartStackSwitch(&fake_stack, next);
    ctx::transfer_t from = ctx::jump_fcontext(AsFcontext(next)->context, self);
    FinishStackSwitch(fake_stack);
    Arrived(from);
  }

  void Leave(Fiber* self, Fiber* next) override {
    SwapIdentity(self, next);
    StartStackSwitch(nullptr, next);
    ctx::jump_fcontext(AsFcontext(next)->context, self);
    abort();
  }

 private:
  FcontextFiber main_;
};

}  // namespace

std::unique_ptr<Backend> NewFcontextBackend(v8::Isolate* isolate, std::string* why_not) {
  V8ThreadIdentity slots;
  if (!slots.Locate(isolate, why_not)) return nullptr;
  return std::make_unique<FcontextBackend>(slots);
}

}  // namespace corojs::fiber
