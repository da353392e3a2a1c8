// __primordials.net (spec 3): listen/accept/connect/read/write/close/poll, plus readBytes, shutdown,
// address and remoteAddress. Every call blocks only the calling fiber.
#include <uv.h>

#include <cstring>
#include <utility>

#include "handles/lookup.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"
#include "net/address.h"
#include "net/tcp_server.h"
#include "net/tcp_socket.h"

namespace corojs {

void TcpListener::Close() {
  if (closed) return;
  closed = true;
  if (acceptor) fiber::Wake(acceptor);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp),
           [](uv_handle_t* handle) { static_cast<TcpListener*>(handle->data)->self.reset(); });
}

namespace {

constexpr int kBacklog = 511;

void ThrowNetError(v8::Isolate* isolate, int status, const char* syscall, const std::string& host) {
  // getaddrinfo's "no such name" is ENOTFOUND to a Node user.
  if (status == UV_EAI_NONAME || status == UV_EAI_NODATA) {
    ThrowCodeError(isolate, "ENOTFOUND", "cannot resolve host '" + host + "'", syscall);
    return;
  }
  ThrowUvError(isolate, status, syscall);
}

bool ArgPort(const Args& info, int index, int64_t* port) { return ArgInt(info, index, "port", 0, 65535, port); }

void Listen(const Args& info) {
  std::string host;
  int64_t port;
  if (!ArgCount(info, 2, "net.listen") || !ArgString(info, 0, "host", &host) || !ArgPort(info, 1, &port)) return;
  v8::Isolate* isolate = info.GetIsolate();
  if (!CheckHost(isolate, "host", host)) return;
  sockaddr_storage addr;
  int rc = ResolveHostPort(host, static_cast<int>(port), &addr);
  if (rc < 0) return ThrowNetError(isolate, rc, "listen", host);
  auto listener = std::make_shared<TcpListener>();
  uv_tcp_init(GetLoop(), &listener->tcp);
  listener->tcp.data = listener.get();
  listener->self = listener;
  auto server = std::make_shared<TcpServer>(listener);  // closes the listener if we fail below
  rc = uv_tcp_bind(&listener->tcp, reinterpret_cast<sockaddr*>(&addr), 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener->tcp), kBacklog, [](uv_stream_t* handle, int status) {
      auto* l = static_cast<TcpListener*>(handle->data);
      if (status < 0) l->error = status;
      else l->pending++;
      if (l->acceptor) fiber::Wake(l->acceptor);
    });
  }
  if (rc < 0) return ThrowUvError(isolate, rc, "listen");
  info.GetReturnValue().Set(NewId(isolate, HandleStore::Add(server, fiber::OwnerId())));
}

void Accept(const Args& info) {
  if (!ArgCount(info, 1, "net.accept")) return;
  std::shared_ptr<TcpServer> server = LookupHandle<TcpServer>(info, 0);
  if (!server) return;
  std::shared_ptr<TcpListener> listener = server->listener();
  v8::Isolate* isolate = info.GetIsolate();
  for (;;) {
    if (listener->pending == 0 && !listener->error && !listener->closed) {
      if (listener->acceptor)
        return ThrowCodeError(isolate, "EBUSY", "another fiber is accepting on this server", "accept");
      listener->acceptor = fiber::Current();
      fiber::WaitUntil([&] { return listener->pending > 0 || listener->error || listener->closed; });
      listener->acceptor = nullptr;
    }
    if (listener->closed) return ThrowCodeError(isolate, "EBADF", "server closed while accepting", "accept");
    if (listener->error) {
      int error = listener->error;
      listener->error = 0;
      return ThrowUvError(isolate, error, "accept");  // e.g. EMFILE: the server may retry later
    }
    std::shared_ptr<TcpStream> stream = TcpStream::Create();
    int rc = uv_accept(reinterpret_cast<uv_stream_t*>(&listener->tcp), reinterpret_cast<uv_stream_t*>(&stream->tcp));
    listener->pending--;
    if (rc < 0) {
      stream->Close();
      if (rc == UV_EAGAIN) continue;  // the peer went away before we took it
      return ThrowUvError(isolate, rc, "accept");
    }
    uv_tcp_nodelay(&stream->tcp, 1);
    auto socket = std::make_shared<TcpSocket>(stream);
    info.GetReturnValue().Set(NewId(isolate, HandleStore::Add(socket, fiber::OwnerId())));
    return;
  }
}

void Connect(const Args& info) {
  std::string host;
  int64_t port;
  if (!ArgCount(info, 2, "net.connect") || !ArgString(info, 0, "host", &host) || !ArgPort(info, 1, &port)) return;
  if (!CheckHost(info.GetIsolate(), "host", host)) return;
  std::shared_ptr<TcpStream> stream;
  int rc = ConnectStream(host, static_cast<int>(port), &stream);
  if (rc < 0) return ThrowNetError(info.GetIsolate(), rc, "connect", host);
  auto socket = std::make_shared<TcpSocket>(stream);
  info.GetReturnValue().Set(NewId(info.GetIsolate(), HandleStore::Add(socket, fiber::OwnerId())));
}

// Blocks until data, EOF or error; throws on error or close. Returns false after throwing.
bool AwaitReadable(const Args& info, const std::shared_ptr<TcpStream>& stream, size_t min_bytes) {
  if (!stream->WaitForData(min_bytes)) {
    ThrowCodeError(info.GetIsolate(), "EBADF", "socket closed while reading", "read");
    return false;
  }
  if (stream->inbox.empty() && stream->error) {
    ThrowUvError(info.GetIsolate(), stream->error, "read");
    return false;
  }
  return true;
}

void Read(const Args& info) {
  if (!ArgCount(info, 1, "net.read")) return;
  std::shared_ptr<TcpSocket> socket = LookupHandle<TcpSocket>(info, 0);
  if (!socket) return;
  std::shared_ptr<TcpStream> stream = socket->stream();
  for (;;) {
    if (!AwaitReadable(info, stream, 1)) return;
    if (stream->inbox.empty()) {  // EOF: a dangling partial character becomes U+FFFD
      if (socket->utf8_tail.empty()) return info.GetReturnValue().SetNull();
      info.GetReturnValue().Set(NewString(info.GetIsolate(), std::exchange(socket->utf8_tail, std::string())));
      return;
    }
    std::string text = TakeCompleteUtf8(&socket->utf8_tail, std::exchange(stream->inbox, std::string()));
    if (text.empty()) continue;  // only part of a character so far
    info.GetReturnValue().Set(NewString(info.GetIsolate(), text));
    return;
  }
}

void ReadBytes(const Args& info) {
  if (!ArgCount(info, 1, "net.readBytes")) return;
  std::shared_ptr<TcpSocket> socket = LookupHandle<TcpSocket>(info, 0);
  if (!socket) return;
  std::shared_ptr<TcpStream> stream = socket->stream();
  if (!socket->utf8_tail.empty()) {  // bytes held back by read() come first
    stream->inbox.insert(0, socket->utf8_tail);
    socket->utf8_tail.clear();
  }
  if (!AwaitReadable(info, stream, 1)) return;
  if (stream->inbox.empty()) {
    info.GetReturnValue().SetNull();
    return;
  }
  info.GetReturnValue().Set(NewBytes(info.GetIsolate(), stream->inbox.data(), stream->inbox.size()));
  stream->inbox.clear();
}

void Write(const Args& info) {
  ByteView data;  // a Uint8Array is written from its own memory: no copy (64 KiB echo: one memcpy fewer a message)
  if (!ArgCount(info, 2, "net.write")) return;
  std::shared_ptr<TcpSocket> socket = LookupHandle<TcpSocket>(info, 0);
  if (!socket || !ArgByteView(info, 1, "data", &data)) return;
  int rc = socket->stream()->WriteAll(data.data, data.size);
  if (rc < 0) return ThrowUvError(info.GetIsolate(), rc, "write");
  info.GetReturnValue().Set(v8::BigInt::NewFromUnsigned(info.GetIsolate(), data.size));
}

void Shutdown(const Args& info) {
  if (!ArgCount(info, 1, "net.shutdown")) return;
  std::shared_ptr<TcpSocket> socket = LookupHandle<TcpSocket>(info, 0);
  if (!socket) return;
  int rc = socket->stream()->Shutdown();
  if (rc < 0) ThrowUvError(info.GetIsolate(), rc, "shutdown");
}

void Close(const Args& info) {
  uint64_t id;
  if (!ArgCount(info, 1, "net.close") || !ArgId(info, 0, "id", &id)) return;
  std::shared_ptr<BaseHandle> handle = HandleStore::Find(id);
  if (handle && handle->kind() == HandleKind::kTcpServer) {
    HandleStore::Remove(id)->Close();
    return;
  }
  if (!CheckHandle(info, id, handle, HandleKind::kTcpSocket)) return;
  HandleStore::Remove(id)->Close();
}

// poll(id, events): blocks until the socket is readable (1) and/or writable (2); returns the ready events.
void Poll(const Args& info) {
  int64_t events;
  if (!ArgCount(info, 2, "net.poll")) return;
  std::shared_ptr<TcpSocket> socket = LookupHandle<TcpSocket>(info, 0);
  if (!socket || !ArgInt(info, 1, "events", 1, 3, &events)) return;
  std::shared_ptr<TcpStream> stream = socket->stream();
  auto ready = [&] {
    int r = 0;
    if ((events & 1) && (!stream->inbox.empty() || stream->eof || stream->error)) r |= 1;
    if ((events & 2) && stream->pending_writes == 0) r |= 2;
    return r;
  };
  if (!ready() && (events & 1)) {
    if (!AwaitReadable(info, stream, 1)) return;
  }
  if (stream->closed) return ThrowCodeError(info.GetIsolate(), "EBADF", "socket closed", "poll");
  info.GetReturnValue().Set(ready());
}

template <bool kPeer>
void AddressOf(const Args& info) {
  uint64_t id;
  if (!ArgCount(info, 1, "net.address") || !ArgId(info, 0, "id", &id)) return;
  std::shared_ptr<BaseHandle> handle = HandleStore::Find(id);
  const uv_tcp_t* tcp = nullptr;
  if (handle && handle->kind() == HandleKind::kTcpServer && !kPeer) {
    tcp = &std::static_pointer_cast<TcpServer>(handle)->listener()->tcp;
  } else if (CheckHandle(info, id, handle, HandleKind::kTcpSocket)) {
    tcp = &std::static_pointer_cast<TcpSocket>(handle)->stream()->tcp;
  } else {
    return;
  }
  sockaddr_storage addr;
  int len = sizeof(addr);
  int rc = kPeer ? uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&addr), &len)
                 : uv_tcp_getsockname(tcp, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc < 0) return ThrowUvError(info.GetIsolate(), rc, kPeer ? "getpeername" : "getsockname");
  info.GetReturnValue().Set(AddressObject(info.GetIsolate(), addr));
}

}  // namespace

void InitNetBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "listen", Listen);
  SetMethod(isolate, target, "accept", Accept);
  SetMethod(isolate, target, "connect", Connect);
  SetMethod(isolate, target, "read", Read);
  SetMethod(isolate, target, "write", Write);
  SetMethod(isolate, target, "close", Close);
  SetMethod(isolate, target, "poll", Poll);
  SetMethod(isolate, target, "readBytes", ReadBytes);            // extension
  SetMethod(isolate, target, "shutdown", Shutdown);              // extension: half-close
  SetMethod(isolate, target, "address", AddressOf<false>);       // extension
  SetMethod(isolate, target, "remoteAddress", AddressOf<true>);  // extension
}

}  // namespace corojs
