// A listening TCP socket in the HandleStore. Connections are counted as they arrive and accepted when a
// fiber asks, so the kernel's backlog holds the rest.
#pragma once

#include <uv.h>

#include <memory>

#include "fiber/scheduler.h"
#include "handles/handle_store.h"

namespace corojs {

struct TcpListener {
  uv_tcp_t tcp;
  std::shared_ptr<TcpListener> self;  // alive until libuv's close callback
  int pending = 0;                    // connections waiting for accept()
  int error = 0;
  bool closed = false;
  fiber::Fiber* acceptor = nullptr;

  void Close();
};

class TcpServer : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kTcpServer;
  explicit TcpServer(std::shared_ptr<TcpListener> listener) : listener_(std::move(listener)) {}
  ~TcpServer() override { Close(); }
  HandleKind kind() const override { return kKind; }
  void Close() override { listener_->Close(); }
  const std::shared_ptr<TcpListener>& listener() const { return listener_; }

 private:
  std::shared_ptr<TcpListener> listener_;
};

}  // namespace corojs
