// Typed HandleStore lookup for primordials: see lookup.h.
#include "handles/lookup.h"

#include <string>

#include "kernel/errors.h"

namespace corojs {

bool CheckHandle(const Args& info, uint64_t id, const std::shared_ptr<BaseHandle>& handle, HandleKind expected) {
  if (!handle) {
    ThrowCodeError(info.GetIsolate(), "EBADF", "bad handle id " + std::to_string(id) + " (unknown or closed)");
    return false;
  }
  if (handle->kind() != expected) {
    ThrowTypeError(info.GetIsolate(),
                   "handle " + std::to_string(id) + " is a " + HandleKindName(handle->kind()) + ", expected a " +
                       HandleKindName(expected),
                   "ERR_INVALID_HANDLE_TYPE");
    return false;
  }
  return true;
}

}  // namespace corojs
