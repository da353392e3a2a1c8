// A TCP connection in the HandleStore. Reads are buffered by libuv callbacks (reading pauses above a
// high-water mark, so a slow consumer applies back-pressure); writes try uv_try_write first and block the
// fiber only while the kernel will not take more. TLS sockets ride on the same stream.
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "fiber/scheduler.h"
#include "handles/handle_store.h"

namespace corojs {

// The libuv side of a connection. Heap-allocated and kept alive by its own `self` reference until libuv's
// close callback, so callbacks never touch freed memory whatever JS does with the handle.
struct TcpStream {
  uv_tcp_t tcp;
  std::shared_ptr<TcpStream> self;
  std::string inbox;  // bytes received and not yet consumed
  bool reading = false;
  bool eof = false;
  bool closed = false;
  int error = 0;  // a uv error from reading, reported once the inbox is drained
  int pending_writes = 0;
  fiber::WaitList readers;  // fibers blocked in WaitForData: all are woken, each re-checks

  // A new stream on the runtime's loop (TCP_NODELAY on: request/response traffic must not wait for Nagle).
  static std::shared_ptr<TcpStream> Create();
  // Blocks until the inbox holds at least `min_bytes`, or EOF, error or close. Returns false on close. Several
  // fibers may wait at once (each takes what is there when it runs); close wakes them all.
  bool WaitForData(size_t min_bytes = 1);
  // Writes everything; blocks only while the kernel refuses. Returns 0 or a uv error.
  int WriteAll(const char* data, size_t length);
  // Sends FIN after queued writes (half-close). Returns 0 or a uv error.
  int Shutdown();
  // Idempotent: wakes blocked fibers (they see `closed`), then closes the libuv handle.
  void Close();
  void ResumeReading();
};

class TcpSocket : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kTcpSocket;
  explicit TcpSocket(std::shared_ptr<TcpStream> stream) : stream_(std::move(stream)) {}
  ~TcpSocket() override { Close(); }
  HandleKind kind() const override { return kKind; }
  void Close() override {
    if (stream_) stream_->Close();
  }
  const std::shared_ptr<TcpStream>& stream() const { return stream_; }
  // Hands the stream to another owner (tls.accept) without closing it.
  std::shared_ptr<TcpStream> Release() { return std::move(stream_); }
  // Bytes of an incomplete UTF-8 character held back by read() until the rest arrives.
  std::string utf8_tail;

 private:
  std::shared_ptr<TcpStream> stream_;
};

// Length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence.
size_t CompleteUtf8Prefix(const std::string& bytes);
// Prepends `*tail` to `incoming`, returns the longest complete-UTF-8 prefix and keeps the rest in `*tail`.
std::string TakeCompleteUtf8(std::string* tail, std::string incoming);

// Connects a new stream to host:port (names resolved first); blocks only the calling fiber. 0 or a uv error.
int ConnectStream(const std::string& host, int port, std::shared_ptr<TcpStream>* out);

}  // namespace corojs
