// __primordials.tls (spec 3): createContext/accept/read/write/close, plus connect and readBytes. The context
// is a HandleStore id, not a raw pointer (a documented departure, see docs/ARCHITECTURE.md).
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <utility>

#include "handles/lookup.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"
#include "net/address.h"
#include "tls/tls_context.h"
#include "tls/tls_socket.h"

namespace corojs {

namespace {

// SNI: switch the connection to the resolver's context for its servername ('' without SNI).
int OnServerName(SSL* ssl, int* alert, void*) {
  auto* socket = static_cast<TlsSocket*>(SSL_get_app_data(ssl));
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  v8::Isolate* isolate = GetIsolate();
  v8::HandleScope scope(isolate);
  v8::TryCatch try_catch(isolate);
  SSL_CTX* chosen = socket->server_context->ContextFor(isolate, name ? name : "");
  if (!chosen) {
    if (try_catch.HasCaught()) socket->resolver_error.Reset(isolate, try_catch.Exception());
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  SSL_set_SSL_CTX(ssl, chosen);
  return SSL_TLSEXT_ERR_OK;
}

void CreateContext(const Args& info) {
  v8::Local<v8::Function> resolver;
  if (!ArgCount(info, 1, "tls.createContext") || !ArgFunction(info, 0, "certificateResolver", &resolver)) return;
  auto context = std::make_shared<TlsContext>(info.GetIsolate(), resolver);
  SSL_CTX_set_tlsext_servername_callback(context->handshake_ctx(), OnServerName);
  info.GetReturnValue().Set(NewId(info.GetIsolate(), HandleStore::Add(context, fiber::OwnerId())));
}

// Registers a TLS socket whose handshake succeeded; otherwise closes it (the exception is already thrown).
void Finish(const Args& info, const std::shared_ptr<TlsSocket>& socket, bool ok) {
  if (!ok) {
    socket->Close();
    return;
  }
  info.GetReturnValue().Set(NewId(info.GetIsolate(), HandleStore::Add(socket, fiber::OwnerId())));
}

// accept(ctx, netSocketId): takes the TCP connection over (its id is closed) and runs the server handshake.
void Accept(const Args& info) {
  uint64_t tcp_id;
  if (!ArgCount(info, 2, "tls.accept")) return;
  std::shared_ptr<TlsContext> context = LookupHandle<TlsContext>(info, 0);
  if (!context) return;
  std::shared_ptr<TcpSocket> tcp = LookupHandle<TcpSocket>(info, 1, &tcp_id);
  if (!tcp) return;
  HandleStore::Remove(tcp_id);
  SSL* ssl = SSL_new(context->handshake_ctx());
  SSL_set_accept_state(ssl);
  auto socket = std::make_shared<TlsSocket>(tcp->Release(), ssl);
  socket->server_context = context.get();  // `context` stays alive for the whole handshake below
  Finish(info, socket, socket->Handshake(info.GetIsolate()));
  socket->server_context = nullptr;
}

bool LoadCa(SSL_CTX* ctx, const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    added += X509_STORE_add_cert(store, cert) == 1;
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();
  return added > 0;
}

std::string OptionString(v8::Isolate* isolate, v8::Local<v8::Object> options, const char* key) {
  v8::Local<v8::Value> value;
  if (!options->Get(isolate->GetCurrentContext(), NewString(isolate, key)).ToLocal(&value) || !value->IsString()) {
    return "";
  }
  v8::String::Utf8Value utf8(isolate, value);
  return std::string(*utf8, utf8.length());
}

// connect(host, port, { servername, ca, rejectUnauthorized = true }): a verified client connection.
void Connect(const Args& info) {
  std::string host;
  int64_t port;
  if (!ArgCount(info, 2, "tls.connect") || !ArgString(info, 0, "host", &host) ||
      !ArgInt(info, 1, "port", 0, 65535, &port)) {
    return;
  }
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Object> options = info[2]->IsObject() ? info[2].As<v8::Object>() : v8::Object::New(isolate);
  std::string servername = OptionString(isolate, options, "servername");
  if (!CheckHost(isolate, "host", host) || (!servername.empty() && !CheckHost(isolate, "servername", servername)))
    return;
  // The stdlib turns every form of `ca` (string, bytes, an array of them) into one PEM string.
  v8::Local<v8::Value> ca_value;
  if (!options->Get(isolate->GetCurrentContext(), NewString(isolate, "ca")).ToLocal(&ca_value)) return;
  if (!ca_value->IsUndefined() && !ca_value->IsString()) {
    return ThrowTypeError(isolate, "options.ca must be a PEM string", "ERR_INVALID_ARG_TYPE");
  }
  std::string ca = OptionString(isolate, options, "ca");
  v8::Local<v8::Value> reject_value;
  bool reject =
      !options->Get(isolate->GetCurrentContext(), NewString(isolate, "rejectUnauthorized")).ToLocal(&reject_value) ||
      !reject_value->IsFalse();
  SslCtxPtr ctx = NewSslCtx(false);
  if (!ca.empty() && !LoadCa(ctx.get(), ca)) {
    return ThrowTypeError(isolate, "options.ca holds no PEM certificate", "ERR_INVALID_ARG_VALUE");
  }
  if (ca.empty()) SSL_CTX_set_default_verify_paths(ctx.get());
  SSL_CTX_set_verify(ctx.get(), reject ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  std::shared_ptr<TcpStream> stream;
  int rc = ConnectStream(host, static_cast<int>(port), &stream);
  if (rc < 0) return ThrowUvError(isolate, rc, "connect");
  SSL* ssl = SSL_new(ctx.get());  // holds its own reference to ctx
  SSL_set_connect_state(ssl);
  std::string name = servername.empty() ? host : servername;
  std::string bare = Unbracketed(name);
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(bare.c_str());
  bool is_ip = ip != nullptr;
  ASN1_OCTET_STRING_free(ip);
  if (!is_ip) SSL_set_tlsext_host_name(ssl, name.c_str());
  if (reject) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    // The whole name, by length: a C-string call would check only up to an embedded NUL.
    if (is_ip) X509_VERIFY_PARAM_set1_ip_asc(param, bare.c_str());
    else X509_VERIFY_PARAM_set1_host(param, name.data(), name.size());
  }
  auto socket = std::make_shared<TlsSocket>(std::move(stream), ssl);
  Finish(info, socket, socket->Handshake(isolate));
}

void Read(const Args& info) {
  if (!ArgCount(info, 1, "tls.read")) return;
  std::shared_ptr<TlsSocket> socket = LookupHandle<TlsSocket>(info, 0);
  if (!socket) return;
  for (;;) {
    std::string plain;
    bool failed;
    if (!socket->Read(info.GetIsolate(), &plain, &failed)) {
      if (failed) return;
      if (socket->utf8_tail.empty()) return info.GetReturnValue().SetNull();
      info.GetReturnValue().Set(NewString(info.GetIsolate(), std::exchange(socket->utf8_tail, std::string())));
      return;
    }
    std::string text = TakeCompleteUtf8(&socket->utf8_tail, std::move(plain));
    if (text.empty()) continue;
    info.GetReturnValue().Set(NewString(info.GetIsolate(), text));
    return;
  }
}

void ReadBytes(const Args& info) {
  if (!ArgCount(info, 1, "tls.readBytes")) return;
  std::shared_ptr<TlsSocket> socket = LookupHandle<TlsSocket>(info, 0);
  if (!socket) return;
  std::string plain = std::exchange(socket->utf8_tail, std::string());
  bool failed = false;
  if (plain.empty() && !socket->Read(info.GetIsolate(), &plain, &failed)) {
    if (!failed) info.GetReturnValue().SetNull();
    return;
  }
  info.GetReturnValue().Set(NewBytes(info.GetIsolate(), plain.data(), plain.size()));
}

void Write(const Args& info) {
  std::string data;
  if (!ArgCount(info, 2, "tls.write")) return;
  std::shared_ptr<TlsSocket> socket = LookupHandle<TlsSocket>(info, 0);
  if (!socket || !ArgBytes(info, 1, "data", &data)) return;
  if (!socket->Write(info.GetIsolate(), data)) return;
  info.GetReturnValue().Set(v8::BigInt::NewFromUnsigned(info.GetIsolate(), data.size()));
}

// close(id): a TLS socket (sends close_notify) or a context.
void Close(const Args& info) {
  uint64_t id;
  if (!ArgCount(info, 1, "tls.close") || !ArgId(info, 0, "id", &id)) return;
  std::shared_ptr<BaseHandle> handle = HandleStore::Find(id);
  if (!(handle && handle->kind() == HandleKind::kTlsContext) &&
      !CheckHandle(info, id, handle, HandleKind::kTlsSocket)) {
    return;
  }
  HandleStore::Remove(id)->Close();
}

}  // namespace

void InitTlsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "createContext", CreateContext);
  SetMethod(isolate, target, "accept", Accept);
  SetMethod(isolate, target, "read", Read);
  SetMethod(isolate, target, "write", Write);
  SetMethod(isolate, target, "close", Close);
  SetMethod(isolate, target, "connect", Connect);      // extension
  SetMethod(isolate, target, "readBytes", ReadBytes);  // extension
}

}  // namespace corojs
