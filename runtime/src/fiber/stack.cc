// Fixed-size fiber stacks: see stack.h.
#include "fiber/stack.h"

#include <cstdint>
#include <new>
#include <vector>

#ifdef _WIN32
#include <windows.h>
// psapi.h uses the types windows.h declares (a sorted include block would put it first).
#include <psapi.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace corojs {

size_t PageSize() {
#ifdef _WIN32
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return info.dwPageSize;
#else
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
#endif
}

FiberStack::FiberStack(size_t size, size_t top_reserve) {
  size_t page = PageSize();
  size_ = (size + page - 1) / page * page;
  top_reserve_ = (top_reserve + page - 1) / page * page;
  mapping_size_ = size_ + top_reserve_ + page;
#ifdef _WIN32
  mapping_ = VirtualAlloc(nullptr, mapping_size_, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!mapping_) throw std::bad_alloc();
  DWORD old;
  VirtualProtect(mapping_, page, PAGE_NOACCESS, &old);
#else
  mapping_ = mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw std::bad_alloc();
  }
  mprotect(mapping_, page, PROT_NONE);
#endif
  low_ = static_cast<char*>(mapping_) + page;
#if defined(__SANITIZE_ADDRESS__)
  // LeakSanitizer scans only the stack the thread runs on now: a suspended fiber's frames are roots too.
  __lsan_register_root_region(low_, size_);
#endif
}

FiberStack::~FiberStack() {
#if defined(__SANITIZE_ADDRESS__)
  if (mapping_) __lsan_unregister_root_region(low_, size_);
#endif
#ifdef _WIN32
  if (mapping_) VirtualFree(mapping_, 0, MEM_RELEASE);
#else
  if (mapping_) munmap(mapping_, mapping_size_);
#endif
}

size_t ResidentBytesOf(const void* start, size_t bytes) {
  size_t page = PageSize();
  size_t pages = (bytes + page - 1) / page;
#ifdef _WIN32
  // The process's working set, asked page by page, is Windows' counterpart of mincore.
  std::vector<PSAPI_WORKING_SET_EX_INFORMATION> info(pages);
  char* first = const_cast<char*>(static_cast<const char*>(start));
  for (size_t i = 0; i < pages; i++) info[i].VirtualAddress = first + i * page;
  if (!QueryWorkingSetEx(GetCurrentProcess(), info.data(), static_cast<DWORD>(pages * sizeof(info[0])))) return 0;
  size_t resident = 0;
  for (const auto& entry : info) resident += entry.VirtualAttributes.Valid ? page : 0;
  return resident;
#else
  std::vector<unsigned char> vec(pages);
  if (mincore(const_cast<void*>(start), bytes, vec.data()) != 0) return 0;
  size_t resident = 0;
  for (unsigned char v : vec) resident += (v & 1) ? page : 0;
  return resident;
#endif
}

size_t FiberStack::ResidentBytes() const { return ResidentBytesOf(low_, size_ + top_reserve_); }

void FiberStack::Release(void* keep_above) const {
  size_t page = PageSize();
  char* low = static_cast<char*>(low_);
  char* limit = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(keep_above) / page * page);
  if (limit <= low || limit > low + size_) return;
#ifdef _WIN32
  // Decommitted and committed again, the pages come back zeroed and not resident (MADV_DONTNEED's effect).
  VirtualFree(low, limit - low, MEM_DECOMMIT);
  VirtualAlloc(low, limit - low, MEM_COMMIT, PAGE_READWRITE);
#else
  madvise(low, limit - low, MADV_DONTNEED);
#endif
}

}  // namespace corojs
