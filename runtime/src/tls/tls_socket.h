// A TLS connection in the HandleStore: OpenSSL with memory BIOs over the runtime's TCP stream, so every
// wait for the network blocks only the calling fiber.
#pragma once

#include <openssl/ssl.h>
#include <v8.h>

#include <memory>
#include <string>

#include "handles/handle_store.h"
#include "net/tcp_socket.h"
#include "tls/tls_context.h"

namespace corojs {

class TlsSocket : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kTlsSocket;
  TlsSocket(std::shared_ptr<TcpStream> stream, SSL* ssl);
  ~TlsSocket() override;
  HandleKind kind() const override { return kKind; }
  // Sends close_notify (best effort, never blocks) and closes the TCP stream.
  void Close() override;

  // Runs the handshake; on failure throws (the resolver's own exception, a verify error or an OpenSSL error).
  bool Handshake(v8::Isolate* isolate);
  // Plaintext read: appends what is available to `out`; false at EOF. Throws and returns false on error
  // (check `isolate->... HasPendingException` via the `failed` flag).
  bool Read(v8::Isolate* isolate, std::string* out, bool* failed);
  bool Write(v8::Isolate* isolate, const std::string& data);

  // Set by the SNI callback when the resolver threw: rethrown by Handshake.
  v8::Global<v8::Value> resolver_error;
  TlsContext* server_context = nullptr;  // for the SNI callback (server side only)
  std::string utf8_tail;                 // an incomplete UTF-8 character held back by read()

 private:
  // Sends whatever OpenSSL queued in the write BIO. Returns 0 or a uv error.
  int Flush();
  // Moves received ciphertext into OpenSSL; blocks until some arrives. False at EOF/error/close.
  bool Feed();
  bool ThrowSslError(v8::Isolate* isolate, const char* syscall);

  std::shared_ptr<TcpStream> stream_;
  SSL* ssl_;
  BIO* network_in_;   // ciphertext from the peer, owned by ssl_
  BIO* network_out_;  // ciphertext to the peer, owned by ssl_
  bool closed_ = false;
};

}  // namespace corojs
