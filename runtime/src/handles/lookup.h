// Typed HandleStore lookup for primordials: throws EBADF for an unknown/closed id, TypeError for the wrong kind.
#pragma once

#include <memory>

#include "handles/handle_store.h"
#include "kernel/args.h"

namespace corojs {

// Throws and returns false on failure (see file comment).
bool CheckHandle(const Args& info, uint64_t id, const std::shared_ptr<BaseHandle>& handle, HandleKind expected);

// Reads argument `index` as an id and returns the handle of type T, or nullptr after throwing.
template <class T>
std::shared_ptr<T> LookupHandle(const Args& info, int index, uint64_t* id_out = nullptr) {
  uint64_t id;
  if (!ArgId(info, index, "id", &id)) return nullptr;
  std::shared_ptr<BaseHandle> handle = HandleStore::Find(id);
  if (!CheckHandle(info, id, handle, T::kKind)) return nullptr;
  if (id_out) *id_out = id;
  return std::static_pointer_cast<T>(handle);
}

}  // namespace corojs
