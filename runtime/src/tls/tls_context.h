// A server TLS context in the HandleStore (a documented departure from the spec's raw pointer). During each
// handshake the JS certificateResolver is asked for { key, cert } for the client's SNI name ('' without SNI);
// the parsed SSL_CTX is cached per servername.
#pragma once

#include <openssl/ssl.h>
#include <v8.h>

#include <map>
#include <memory>
#include <string>

#include "handles/handle_store.h"

namespace corojs {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

class TlsContext : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kTlsContext;
  TlsContext(v8::Isolate* isolate, v8::Local<v8::Function> resolver);
  HandleKind kind() const override { return kKind; }
  // Closing a context is closing its id: handshakes under way keep it alive through their own reference.
  void Close() override {}

  SSL_CTX* handshake_ctx() const { return handshake_ctx_.get(); }
  // The context for `servername`, asking the resolver on a miss; nullptr after throwing a JS exception.
  SSL_CTX* ContextFor(v8::Isolate* isolate, const std::string& servername);

 private:
  v8::Global<v8::Function> resolver_;
  SslCtxPtr handshake_ctx_;  // holds no certificate: the SNI callback switches each connection to its own
  std::map<std::string, SslCtxPtr> by_servername_;
};

// A server or client SSL_CTX with the runtime's protocol floor (TLS 1.2) and defaults.
SslCtxPtr NewSslCtx(bool server);
// Loads a PEM certificate (chain) and private key into `ctx`; on failure returns false and sets `error`.
bool UseCertificateAndKey(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem, std::string* error);
// The most recent OpenSSL error as text, and as a Node-style code (ERR_SSL_...). Clears the queue.
std::string TakeOpenSslError(std::string* code);

}  // namespace corojs
