// HandleStore (spec 2.3): the kernel boundary. JS holds only uint64 ids, never pointers; ids are never reused.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace corojs {

enum class HandleKind { kFile, kTcpServer, kTcpSocket, kTlsContext, kTlsSocket };

const char* HandleKindName(HandleKind kind);

class BaseHandle {
 public:
  virtual ~BaseHandle() = default;
  virtual HandleKind kind() const = 0;
  // Releases the OS resource. Idempotent. A fiber blocked on this handle must wake with an error (EBADF),
  // never hang or touch freed memory: it holds its own shared_ptr while it waits.
  virtual void Close() = 0;
};

class HandleStore {
 public:
  // Stores `handle`, owned by fiber `owner` (0 = the main fiber, whose handles live until exit).
  static uint64_t Add(std::shared_ptr<BaseHandle> handle, uint64_t owner);
  // The handle, or nullptr if the id is unknown or closed.
  static std::shared_ptr<BaseHandle> Find(uint64_t id);
  // Removes the entry (without closing it); returns it, or nullptr.
  static std::shared_ptr<BaseHandle> Remove(uint64_t id);
  // Moves ownership of `id` to fiber `owner`; false if unknown.
  static bool Transfer(uint64_t id, uint64_t owner);
  // Closes and removes every handle owned by `owner` (its fiber has died).
  static void CloseOwnedBy(uint64_t owner);
  static size_t Size();
  static size_t SizeOf(HandleKind kind);

  template <class T>
  static std::shared_ptr<T> FindAs(uint64_t id) {
    std::shared_ptr<BaseHandle> handle = Find(id);
    if (!handle || handle->kind() != T::kKind) return nullptr;
    return std::static_pointer_cast<T>(handle);
  }

 private:
  struct Entry {
    std::shared_ptr<BaseHandle> handle;
    uint64_t owner;
  };
  static std::map<uint64_t, Entry>& entries();
};

}  // namespace corojs
