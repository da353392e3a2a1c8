// Fixed-size fiber stacks: mmap'd, with a PROT_NONE guard page below so an overflow faults instead of
// silently corrupting a neighbour.
#pragma once

#include <cstddef>

namespace corojs {

constexpr size_t kDefaultStackSize = 1 << 20;  // spec 2.2: 1 MiB, not resizable

class FiberStack {
 public:
  // `size` is rounded up to whole pages; throws std::bad_alloc if the mapping fails. `top_reserve` more bytes
  // are mapped above the stack (for what a runtime keeps beside it: see fiber/handle_slot.h).
  explicit FiberStack(size_t size = kDefaultStackSize, size_t top_reserve = 0);
  ~FiberStack();
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;

  void* low() const { return low_; }  // lowest usable byte (just above the guard page)
  size_t size() const { return size_; }
  // Bytes of the usable stack and its top reserve currently resident in RAM (mincore).
  size_t ResidentBytes() const;
  // Returns the pages below `keep_above` to the kernel (for a stack parked in a pool).
  void Release(void* keep_above) const;

 private:
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
  void* low_ = nullptr;
  size_t size_ = 0;
  size_t top_reserve_ = 0;
};

size_t PageSize();
// Bytes of [start, start + bytes) resident in RAM (mincore; the working set on Windows; `start` page-aligned).
size_t ResidentBytesOf(const void* start, size_t bytes);

}  // namespace corojs
