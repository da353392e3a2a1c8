// The libuv side of a TCP connection: see tcp_socket.h.
#include <cstring>

#include "kernel/runtime.h"
#include "net/address.h"
#include "net/tcp_socket.h"

namespace corojs {

namespace {

// Above this many unconsumed bytes the stream stops reading, so TCP flow control pushes back on the peer.
constexpr size_t kInboxHighWater = 256 * 1024;
// libuv reads into this; callbacks run one at a time (only the fiber holding the baton runs the loop).
char read_scratch[64 * 1024];

struct WriteRequest {
  uv_write_t req;
  std::string data;
  std::shared_ptr<TcpStream> stream;
  bool done = false;
  int status = 0;
  fiber::Fiber* waiter;
};

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
  auto request = std::make_unique<WriteRequest>();
  request->data.assign(data + done, length - done);
  request->stream = keep;
  request->waiter = fiber::Current();
  request->req.data = request.get();
  uv_buf_t buf = uv_buf_init(request->data.data(), static_cast<unsigned>(request->data.size()));
  int rc = uv_write(&request->req, reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1, [](uv_write_t* req, int status) {
    auto* r = static_cast<WriteRequest*>(req->data);
    r->stream->pending_writes--;
    r->status = status;
    r->done = true;
    fiber::Wake(r->waiter);  // also on close: libuv cancels queued writes with UV_ECANCELED
  });
  if (rc < 0) return rc;
  pending_writes++;
  WriteRequest* raw = request.release();
  fiber::WaitUntil([&] { return raw->done; });
  int status = raw->status;
  delete raw;
  return status == UV_ECANCELED ? UV_EBADF : status;
}

int TcpStream::Shutdown() {
  if (closed) return UV_EBADF;
  struct ShutdownRequest {
    uv_shutdown_t req;
    bool done = false;
    int status = 0;
    fiber::Fiber* waiter = fiber::Current();
    std::shared_ptr<TcpStream> stream;
  };
  auto* request = new ShutdownRequest();
  request->stream = self;
  request->req.data = request;
  int rc = uv_shutdown(&request->req, reinterpret_cast<uv_stream_t*>(&tcp), [](uv_shutdown_t* req, int status) {
    auto* r = static_cast<ShutdownRequest*>(req->data);
    r->status = status;
    r->done = true;
    fiber::Wake(r->waiter);
  });
  if (rc < 0) {
    delete request;
    return rc;
  }
  fiber::WaitUntil([&] { return request->done; });
  int status = request->status;
  delete request;
  return status;
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
  struct ConnectRequest {
    uv_connect_t req;
    fiber::Fiber* waiter = fiber::Current();
    bool done = false;
    int status = 0;
  };
  auto request = std::make_unique<ConnectRequest>();
  request->req.data = request.get();
  rc = uv_tcp_connect(&request->req, &stream->tcp, reinterpret_cast<sockaddr*>(&addr), [](uv_connect_t* req, int status) {
    auto* r = static_cast<ConnectRequest*>(req->data);
    r->status = status;
    r->done = true;
    fiber::Wake(r->waiter);
  });
  if (rc == 0) {
    fiber::WaitUntil([&] { return request->done; });
    rc = request->status;
  }
  if (rc < 0) {
    stream->Close();
    return rc;
  }
  uv_tcp_nodelay(&stream->tcp, 1);
  *out = std::move(stream);
  return 0;
}

}  // namespace corojs
