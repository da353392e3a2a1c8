// What the same-thread backends share: see same_thread.h.
#include "fiber/same_thread.h"

#include "fiber/handle_slot.h"

#include <pthread.h>

#include <cstdio>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace corojs::fiber {

namespace {

#if defined(__SANITIZE_ADDRESS__)
void* main_stack_bottom = nullptr;
size_t main_stack_size = 0;
#endif

void RememberMainStack() {
#if defined(__SANITIZE_ADDRESS__)
  pthread_attr_t attr;
  pthread_getattr_np(pthread_self(), &attr);
  pthread_attr_getstack(&attr, &main_stack_bottom, &main_stack_size);
  pthread_attr_destroy(&attr);
  // While another fiber runs, LeakSanitizer scans that fiber's stack, not the main one: keep main's a root.
  __lsan_register_root_region(main_stack_bottom, main_stack_size);
#endif
}

SameThreadFiber* AsSameThread(Fiber* fiber) { return static_cast<SameThreadFiber*>(fiber); }

}  // namespace

SameThreadBackend::SameThreadBackend(const V8ThreadIdentity& slots) : slots_(slots) {
  RememberMainStack();
  std::string why_not;
  if (!LocateHandleScopeExtend(&why_not))
    fprintf(stderr, "corojs: handle blocks stay in the heap (%s)\n", why_not.c_str());
}

void SameThreadBackend::Park(Fiber* self, Fiber* next) {
  char* frame = static_cast<char*>(__builtin_frame_address(0));
  self->stack->Release(frame - 16 * 1024);
  Transfer(self, next);
}

void SameThreadBackend::Destroy(Fiber* fiber) {
  if (ReleaseHandleSlot(fiber)) delete fiber;
}

void SameThreadBackend::SwapIdentity(Fiber* self, Fiber* next) {
  AsSameThread(self)->identity = slots_.Read();
  slots_.Write(AsSameThread(next)->identity);
}

#if defined(__SANITIZE_ADDRESS__)
void StartStackSwitch(void** fake_stack_save, const Fiber* next) {
  if (next->stack) __sanitizer_start_switch_fiber(fake_stack_save, next->stack->low(), next->stack->size());
  else __sanitizer_start_switch_fiber(fake_stack_save, main_stack_bottom, main_stack_size);
}
void FinishStackSwitch(void* fake_stack_save) { __sanitizer_finish_switch_fiber(fake_stack_save, nullptr, nullptr); }
#else
void StartStackSwitch(void**, const Fiber*) {}
void FinishStackSwitch(void*) {}
#endif

}  // namespace corojs::fiber
