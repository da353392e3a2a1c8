// Thread-backed fibers (ARCHITECTURE.md), the default: every fiber owns an OS thread running on a runtime-
// allocated stack, all pinned to one CPU, and a switch posts the next fiber's semaphore baton and waits on its
// own. V8 keys its per-thread state by OS thread here, so nothing about V8 needs faking.
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>

#include <cerrno>

#include "fiber/backend.h"

namespace corojs::fiber {

namespace {

class ThreadFiber : public Fiber {
 public:
  ThreadFiber() { sem_init(&baton, 0, 0); }
  ~ThreadFiber() override { sem_destroy(&baton); }

  sem_t baton;
  pthread_t thread{};
};

ThreadFiber* AsThread(Fiber* fiber) { return static_cast<ThreadFiber*>(fiber); }

void Wait(ThreadFiber* self) {
  while (sem_wait(&self->baton) != 0 && errno == EINTR) {
  }
}

void* ThreadMain(void* arg) {
  ThreadFiber* self = static_cast<ThreadFiber*>(arg);
  Wait(self);
  FiberBody(self);
  return nullptr;
}

class ThreadBackend : public Backend {
 public:
  explicit ThreadBackend(int pin_cpu) : pin_(pin_cpu >= 0) {
    CPU_ZERO(&cpus_);
    if (pin_) CPU_SET(pin_cpu, &cpus_);
  }

  const char* name() const override { return "thread"; }
  Fiber* main_fiber() override { return &main_; }

  Fiber* Create(size_t stack_size) override {
    auto fiber = std::make_unique<ThreadFiber>();
    if (!GiveStack(fiber.get(), stack_size)) return nullptr;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, fiber->stack->low(), fiber->stack->size());
    if (pin_) pthread_attr_setaffinity_np(&attr, sizeof(cpus_), &cpus_);
    int rc = pthread_create(&fiber->thread, &attr, ThreadMain, fiber.get());
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      errno = rc;
      return nullptr;
    }
    return fiber.release();
  }

  void Transfer(Fiber* self, Fiber* next) override {
    sem_post(&AsThread(next)->baton);
    Wait(AsThread(self));
  }

  void Park(Fiber* self, Fiber* next) override {
    sem_post(&AsThread(next)->baton);
    // While parked, give the stack's used pages back, keeping the few this frame still needs.
    char* frame = static_cast<char*>(__builtin_frame_address(0));
    self->stack->Release(frame - 16 * 1024);
    Wait(AsThread(self));
  }

  void Leave(Fiber* self, Fiber* next) override { sem_post(&AsThread(next)->baton); }

  void Destroy(Fiber* fiber) override {
    pthread_join(AsThread(fiber)->thread, nullptr);
    delete fiber;
  }

 private:
  ThreadFiber main_;
  bool pin_;
  cpu_set_t cpus_;
};

}  // namespace

std::unique_ptr<Backend> NewThreadBackend(int pin_cpu) { return std::make_unique<ThreadBackend>(pin_cpu); }

}  // namespace corojs::fiber
