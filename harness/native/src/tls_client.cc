// TLS client context for the native load generator: see tls_client.h.
#include "tls_client.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <string.h>

namespace corojs::lab {

namespace {

std::string ErrorQueue() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

}  // namespace

TlsClient::TlsClient(const std::string& ca_pem) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) {
    error_ = "SSL_CTX_new: " + ErrorQueue();
    return;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, cert) == 1) added++;
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();  // the read loop ends on a "no start line" error
  if (added == 0) {
    error_ = "no CA certificate in the PEM given";
    SSL_CTX_free(ctx);
    return;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ctx_ = ctx;
}

TlsClient::~TlsClient() {
  if (ctx_) SSL_CTX_free(ctx_);
}

SSL* TlsClient::NewSession(int fd, const std::string& servername) const {
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, servername.c_str());
  SSL_set1_host(ssl, servername.c_str());  // the certificate must name servername (SAN), checked in the handshake
  SSL_set_connect_state(ssl);
  return ssl;
}

std::string TlsClient::FailureReason(SSL* ssl, const std::string& servername, int ssl_error) {
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    ERR_clear_error();
    return "wrong certificate for " + servername + ": " + X509_verify_cert_error_string(verify);
  }
  std::string queue = ErrorQueue();
  if (!queue.empty()) return "TLS error with " + servername + ": " + queue;
  if (ssl_error == SSL_ERROR_ZERO_RETURN) return "the server closed the TLS session (" + servername + ")";
  if (ssl_error == SSL_ERROR_SYSCALL && errno != 0) return std::string("TLS transport error: ") + strerror(errno);
  return "connection closed by the server (" + servername + ")";
}

}  // namespace corojs::lab
