// The libuv side of a TCP connection: see tcp_socket.h.
#include <cstring>

#include "fiber/blocking_request.h"
#include "kernel/runtime.h"
#include "net/address.h"
#include "net/tcp_socket.h"

namespace corojs {

namespace {

// Above this many unconsumed bytes the stream stops reading, so TCP flow control pushes back on the peer.
constexpr size_t kInboxHighWater = 256 * 1024;
// libuv reads into this; callbacks run one at a time (only the fiber holding the baton runs the loop).
char read_scratch[64 * 1024];

void OnRead(uv_stream_t* handle, ssize_t nread, const uv_buf_t* buf) {
  auto* stream = static_cast<TcpStream*>(handle->data);
  if (nread > 0) {
    stream->inbox.append(buf->base, static_cast<size_t>(nread));
    if (stream->inbox.size() >= kInboxHighWater) {
      uv_read_stop(handle);
      stream->reading = false;
    }
  } else if (nread == UV_EOF) {
    stream->eof = true;
    uv_read_stop(handle);
    stream->reading = false;
  } else if (nread < 0) {
    stream->error = static_cast<int>(nread);
    uv_read_stop(handle);
    stream->reading = false;
  }
  stream->readers.WakeAll();
}

}  // namespace

size_t CompleteUtf8Prefix(const std::string& bytes) {
  size_t n = bytes.size();
  for (size_t back = 1; back <= 3 && back <= n; back++) {
    unsigned char b = static_cast<unsigned char>(bytes[n - back]);
    if ((b & 0xc0) != 0x80) {  // a lead byte or ASCII: does its sequence fit in what we have?
      size_t need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return need > back ? n - back : n;
    }
  }
  return n;
}

std::string TakeCompleteUtf8(std::string* tail, std::string incoming) {
  incoming.insert(0, *tail);
  size_t complete = CompleteUtf8Prefix(incoming);
  *tail = incoming.substr(complete);
  incoming.resize(complete);
  return incoming;
}

std::shared_ptr<TcpStream> TcpStream::Create() {
  auto stream = std::make_shared<TcpStream>();
  uv_tcp_init(GetLoop(), &stream->tcp);
  stream->tcp.data = stream.get();
  stream->self = stream;
  return stream;
}

void TcpStream::ResumeReading() {
  if (reading || eof || error || closed || inbox.size() >= kInboxHighWater) return;
  int rc = uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp),
      [](uv_handle_t*, size_t, uv_buf_t* buf) { *buf = uv_buf_init(read_scratch, sizeof(read_scratch)); }, OnRead);
  if (rc == 0) reading = true;
  else error = rc;
}

bool TcpStream::WaitForData(size_t min_bytes) {
  std::shared_ptr<TcpStream> keep = self;  // survive a close by another fiber while we wait
  ResumeReading();
  if (inbox.size() < min_bytes && !eof && !error && !closed) {
    fiber::WaitList::Entry waiting(&readers);
    fiber::WaitUntil([&] {
      if (!closed && !reading) ResumeReading();
      return inbox.size() >= min_bytes || eof || error || closed;
    });
  }
  return !closed;
}

int TcpStream::WriteAll(const char* data, size_t length) {
  if (closed) return UV_EBADF;
  std::shared_ptr<TcpStream> keep = self;
  size_t done = 0;
  if (pending_writes == 0) {  // the fast path: the kernel takes it all now, no request, no switch
    uv_buf_t buf = uv_buf_init(const_cast<char*>(data), static_cast<unsigned>(length));
    int n = uv_try_write(reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1);
    if (n > 0) done = static_cast<size_t>(n);
    else if (n < 0 && n != UV_EAGAIN) return n;
    if (done == length) return 0;
  }
  // The rest waits in libuv's queue; `data` is the caller's and stays put while this fiber waits.
  uv_buf_t buf = uv_buf_init(const_cast<char*>(data) + done, static_cast<unsigned>(length - done));
  fiber::BlockingRequest<uv_write_t> request;
  pending_writes++;
  int status = request.Run([&](uv_write_t* req, uv_write_cb cb) {
    return uv_write(req, reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1, cb);
  });
  pending_writes--;
  return status == UV_ECANCELED ? UV_EBADF : status;  // a close cancels the queued write
}

int TcpStream::Shutdown() {
  if (closed) return UV_EBADF;
  std::shared_ptr<TcpStream> keep = self;  // the handle must outlive the request's callback
  fiber::BlockingRequest<uv_shutdown_t> request;
  return request.Run([&](uv_shutdown_t* req, uv_shutdown_cb cb) {
    return uv_shutdown(req, reinterpret_cast<uv_stream_t*>(&tcp), cb);
  });
}

void TcpStream::Close() {
  if (closed) return;
  closed = true;
  readers.WakeAll();
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp), [](uv_handle_t* handle) {
    auto* stream = static_cast<TcpStream*>(handle->data);
    stream->self.reset();  // the last reference may go here
  });
}

int ConnectStream(const std::string& host, int port, std::shared_ptr<TcpStream>* out) {
  sockaddr_storage addr;
  int rc = ResolveHostPort(host, port, &addr);
  if (rc < 0) return rc;
  std::shared_ptr<TcpStream> stream = TcpStream::Create();
  fiber::BlockingRequest<uv_connect_t> request;
  rc = request.Run([&](uv_connect_t* req, uv_connect_cb cb) {
    return uv_tcp_connect(req, &stream->tcp, reinterpret_cast<sockaddr*>(&addr), cb);
  });
  if (rc < 0) {
    stream->Close();
    return rc;
  }
  uv_tcp_nodelay(&stream->tcp, 1);
  *out = std::move(stream);
  return 0;
}

}  // namespace corojs
