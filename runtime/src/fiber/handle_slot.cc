// Handle-scope blocks on the fibers' stack pages: see handle_slot.h.
#include "fiber/handle_slot.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "fiber/scheduler.h"

namespace corojs::fiber {

namespace {

constexpr char kHandleScopeExtend[] = "_ZN2v88internal11HandleScope6ExtendEPNS0_7IsolateE";
constexpr size_t kHandleBlockBytes = 1022 * sizeof(void*);  // V8's kHandleBlockSize Addresses
// Bytes of the block on the stack's top page; the stack's first frames use the rest of that page (a parked
// fiber's frames take ~2.3 KiB there, measured at the switch).
constexpr size_t kHeadRoom = 1024;

std::atomic<uintptr_t> extend_begin{0};
uintptr_t extend_end = 0;
pthread_t js_thread;

std::mutex mutex;  // delete[] runs on V8's background threads too
struct Slot {
  Fiber* fiber;
  bool taken;
};
std::unordered_map<char*, Slot>& Slots() {
  static auto* slots = new std::unordered_map<char*, Slot>();  // never destroyed: blocks are freed during exit
  return *slots;
}

// Where `fiber`'s slot starts: kHeadRoom below the end of its stack, which is where its stack begins.
char* SlotOf(const Fiber* fiber) { return static_cast<char*>(fiber->stack->low()) + fiber->stack->size() - kHeadRoom; }

bool AtSlotOffset(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & (PageSize() - 1)) == PageSize() - kHeadRoom;
}

}  // namespace

bool LocateHandleScopeExtend(std::string* why_not) {
  void* extend = dlsym(RTLD_DEFAULT, kHandleScopeExtend);
  Dl_info info;
  ElfW(Sym)* symbol = nullptr;
  if (!extend || !dladdr1(extend, &info, reinterpret_cast<void**>(&symbol), RTLD_DL_SYMENT) || !symbol ||
      symbol->st_size == 0) {
    *why_not = "libnode does not export v8::internal::HandleScope::Extend with its size";
    return false;
  }
  js_thread = pthread_self();
  extend_end = reinterpret_cast<uintptr_t>(extend) + symbol->st_size;
  extend_begin.store(reinterpret_cast<uintptr_t>(extend), std::memory_order_release);
  return true;
}

char* CarveHandleSlot(Fiber* fiber) {
  char* slot = SlotOf(fiber);
  std::lock_guard<std::mutex> lock(mutex);
  Slots()[slot] = {fiber, false};
  return slot;
}

bool ReleaseHandleSlot(Fiber* fiber) {
  char* slot = SlotOf(fiber);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = Slots().find(slot);
  if (it == Slots().end()) return true;
  if (it->second.taken) return false;
  Slots().erase(it);
  return true;
}

void* TakeHandleSlot(size_t bytes, const void* caller) {
  uintptr_t begin = extend_begin.load(std::memory_order_acquire);
  auto from = reinterpret_cast<uintptr_t>(caller);
  if (bytes != kHandleBlockBytes || begin == 0 || from < begin || from >= extend_end) return nullptr;
  if (!pthread_equal(pthread_self(), js_thread)) return nullptr;
  Fiber* fiber = Current();
  if (fiber == nullptr || !fiber->stack) return nullptr;
  char* slot = SlotOf(fiber);
  char* frame = static_cast<char*>(__builtin_frame_address(0));
  if (frame < fiber->stack->low() || frame >= slot) return nullptr;  // not running on that fiber's stack
  std::lock_guard<std::mutex> lock(mutex);
  auto it = Slots().find(slot);
  if (it == Slots().end() || it->second.taken) return nullptr;
  it->second.taken = true;
  return slot;
}

bool ReturnHandleSlot(void* block) {
  if (block == nullptr || !AtSlotOffset(block)) return false;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = Slots().find(static_cast<char*>(block));
  if (it == Slots().end()) return false;
  it->second.taken = false;
  return true;
}

}  // namespace corojs::fiber
