// An open file in the HandleStore. The descriptor is closed only when no operation still uses it, so closing
// a file another fiber is reading can never let that read hit a reused descriptor.
#pragma once

#include <uv.h>

#include "handles/handle_store.h"

namespace corojs {

class FileHandle : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kFile;

  explicit FileHandle(uv_file fd) : fd_(fd) {}
  ~FileHandle() override;
  HandleKind kind() const override { return kKind; }
  // Marks the file closed; the descriptor goes when the last in-flight operation lets go of this handle.
  void Close() override { closed_ = true; }

  bool closed() const { return closed_; }
  uv_file fd() const { return fd_; }

 private:
  uv_file fd_;
  bool closed_ = false;
};

}  // namespace corojs
