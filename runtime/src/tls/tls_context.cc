// A server TLS context: see tls_context.h.
#include "tls/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cctype>

#include "kernel/args.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::string GetString(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key, bool* ok) {
  v8::Local<v8::Value> value;
  if (!obj->Get(isolate->GetCurrentContext(), NewString(isolate, key)).ToLocal(&value) || !value->IsString()) {
    *ok = false;
    return "";
  }
  v8::String::Utf8Value utf8(isolate, value);
  return std::string(*utf8, utf8.length());
}

}  // namespace

SslCtxPtr NewSslCtx(bool server) {
  SslCtxPtr ctx(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
  return ctx;
}

std::string TakeOpenSslError(std::string* code) {
  unsigned long err = ERR_peek_last_error();
  std::string message =
      err ? ERR_reason_error_string(err) ? ERR_reason_error_string(err) : "unknown" : "handshake failed";
  ERR_clear_error();
  if (code) {
    *code = "ERR_SSL_";
    for (char c : message) *code += c == ' ' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(c)));
  }
  return message;
}

bool UseCertificateAndKey(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem, std::string* error) {
  std::unique_ptr<BIO, BioFree> cert_bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  X509* leaf = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr);
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf) != 1) {
    X509_free(leaf);
    *error = "invalid certificate PEM: " + TakeOpenSslError(nullptr);
    return false;
  }
  X509_free(leaf);
  while (X509* extra = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)) {
    SSL_CTX_add0_chain_cert(ctx, extra);  // the chain after the leaf, as a PEM bundle lists it
  }
  ERR_clear_error();  // reading past the last certificate leaves a harmless "no start line"
  std::unique_ptr<BIO, BioFree> key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (!key || SSL_CTX_use_PrivateKey(ctx, key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    EVP_PKEY_free(key);
    *error = "invalid private key PEM (or it does not match the certificate): " + TakeOpenSslError(nullptr);
    return false;
  }
  EVP_PKEY_free(key);
  return true;
}

TlsContext::TlsContext(v8::Isolate* isolate, v8::Local<v8::Function> resolver)
    : resolver_(isolate, resolver), handshake_ctx_(NewSslCtx(true)) {}

SSL_CTX* TlsContext::ContextFor(v8::Isolate* isolate, const std::string& servername) {
  auto cached = by_servername_.find(servername);
  if (cached != by_servername_.end()) return cached->second.get();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> arg = NewString(isolate, servername);
  v8::Local<v8::Value> result;
  if (!resolver_.Get(isolate)->Call(context, v8::Undefined(isolate), 1, &arg).ToLocal(&result)) return nullptr;
  cached = by_servername_.find(servername);
  if (cached != by_servername_.end()) return cached->second.get();
  bool ok = result->IsObject();
  std::string key, cert;
  if (ok) {
    key = GetString(isolate, result.As<v8::Object>(), "key", &ok);
    cert = GetString(isolate, result.As<v8::Object>(), "cert", &ok);
  }
  if (!ok) {
    ThrowTypeError(isolate, "certificateResolver must return { key, cert } PEM strings", "ERR_TLS_CERT_RESOLVER");
    return nullptr;
  }
  SslCtxPtr ctx = NewSslCtx(true);
  std::string error;
  if (!UseCertificateAndKey(ctx.get(), cert, key, &error)) {
    ThrowCodeError(isolate, "ERR_TLS_CERT_RESOLVER", "certificateResolver('" + servername + "'): " + error);
    return nullptr;
  }
  // The resolver may block, so another handshake may have filled this name meanwhile: keep the first.
  return by_servername_.emplace(servername, std::move(ctx)).first->second.get();
}

}  // namespace corojs
