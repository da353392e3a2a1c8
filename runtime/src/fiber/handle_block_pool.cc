// V8's handle-scope blocks in a mapping of their own, so the memory an idle fiber costs can be split exactly
// (issue 12; Fiber.stats().handle_blocks_resident_bytes, the fiber-memory runner's breakdown).
//
// V8 allocates a handle-scope block as `new (std::nothrow) Address[1022]` (8,176 bytes) and archives the
// blocks in use with each suspended thread state, so every parked fiber keeps one. In malloc's heap its
// resident part cannot be told apart (its untouched second page counts as "in use"). Allocations of exactly
// that size are served here from page-aligned 8 KiB slots of one reserved mapping; mincore then says how much
// of them is resident: one page per idle fiber (measured: 4.0 KiB per fiber at 10,000). Every other size, and
// anything once the mapping is full, goes to the usual operator new/delete. V8 itself is unchanged: libnode.so
// takes operator new[]/delete[] from the executable, which defines them here.
//
// Not under AddressSanitizer, whose own operator new/delete must see every allocation.
#include "fiber/handle_block_pool.h"

#if defined(__SANITIZE_ADDRESS__)
namespace corojs {
size_t HandleBlocksResidentBytes() { return 0; }
}  // namespace corojs
#else

#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <new>

#include "fiber/handle_slot.h"
#include "fiber/stack.h"

namespace {

constexpr size_t kHandleBlockBytes = 1022 * sizeof(void*);  // V8's kHandleBlockSize Addresses
constexpr size_t kSlotBytes = 8192;                         // two pages: a block never shares a page
constexpr size_t kReservedBytes = size_t{1} << 30;          // address space only (MAP_NORESERVE): 131,072 slots

class HandleBlockPool {
 public:
  void* Allocate() {
    std::lock_guard<std::mutex> lock(mutex_);  // V8's background threads may allocate the same size
    if (free_ != nullptr) {
      FreeSlot* slot = free_;
      free_ = slot->next;
      return slot;
    }
    if (base_.load(std::memory_order_relaxed) == nullptr && !Reserve()) return nullptr;
    if (used_ + kSlotBytes > kReservedBytes) return nullptr;
    void* slot = base_.load(std::memory_order_relaxed) + used_;
    used_ += kSlotBytes;
    return slot;
  }

  size_t ResidentBytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    char* base = base_.load(std::memory_order_relaxed);
    return base == nullptr ? 0 : corojs::ResidentBytesOf(base, used_);
  }

  bool Owns(const void* p) const {
    const char* base = base_.load(std::memory_order_acquire);
    auto* byte = static_cast<const char*>(p);
    return base != nullptr && byte >= base && byte < base + kReservedBytes;
  }

  void Free(void* p) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto* slot = static_cast<FreeSlot*>(p);
    slot->next = free_;
    free_ = slot;
  }

 private:
  struct FreeSlot {
    FreeSlot* next;
  };

  bool Reserve() {
    void* mapping =
        mmap(nullptr, kReservedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) return false;
    base_.store(static_cast<char*>(mapping), std::memory_order_release);
    return true;
  }

  std::mutex mutex_;
  std::atomic<char*> base_{nullptr};
  size_t used_ = 0;
  FreeSlot* free_ = nullptr;
};

HandleBlockPool& Pool() {
  static HandleBlockPool* pool = new HandleBlockPool();  // never destroyed: blocks may be freed during exit
  return *pool;
}

void* AllocateArray(size_t size, bool nothrow) {
  if (size == kHandleBlockBytes) {
    if (void* slot = Pool().Allocate()) return slot;
  }
  return nothrow ? ::operator new(size, std::nothrow) : ::operator new(size);
}

void FreeArray(void* p) {
  if (p == nullptr || corojs::fiber::ReturnHandleSlot(p)) return;
  if (Pool().Owns(p)) return Pool().Free(p);
  ::operator delete(p);
}

}  // namespace

namespace corojs {
size_t HandleBlocksResidentBytes() { return Pool().ResidentBytes(); }
}  // namespace corojs

void* operator new[](size_t size) { return AllocateArray(size, false); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  // V8 takes a handle-scope block with this one: the running fiber's slot on its stack first (handle_slot.h).
  if (void* slot = corojs::fiber::TakeHandleSlot(size, __builtin_return_address(0))) return slot;
  return AllocateArray(size, true);
}
void operator delete[](void* p) noexcept { FreeArray(p); }
void operator delete[](void* p, size_t) noexcept { FreeArray(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { FreeArray(p); }

#endif  // !defined(__SANITIZE_ADDRESS__)
