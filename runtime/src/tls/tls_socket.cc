// A TLS connection over the runtime's TCP stream: see tls_socket.h.
#include "tls/tls_socket.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "kernel/args.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

// Node's names for the common certificate verification failures.
const char* VerifyErrorCode(long result) {
  switch (result) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: return "DEPTH_ZERO_SELF_SIGNED_CERT";
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return "SELF_SIGNED_CERT_IN_CHAIN";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: return "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return "UNABLE_TO_VERIFY_LEAF_SIGNATURE";
    case X509_V_ERR_CERT_HAS_EXPIRED: return "CERT_HAS_EXPIRED";
    case X509_V_ERR_CERT_NOT_YET_VALID: return "CERT_NOT_YET_VALID";
    case X509_V_ERR_HOSTNAME_MISMATCH: return "ERR_TLS_CERT_ALTNAME_INVALID";
    default: return "ERR_TLS_CERT_VERIFY_FAILED";
  }
}

}  // namespace

TlsSocket::TlsSocket(std::shared_ptr<TcpStream> stream, SSL* ssl) : stream_(std::move(stream)), ssl_(ssl) {
  network_in_ = BIO_new(BIO_s_mem());
  network_out_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(network_in_, -1);  // empty input means "wait for more", not EOF
  SSL_set_bio(ssl_, network_in_, network_out_);
  SSL_set_app_data(ssl_, this);
}

TlsSocket::~TlsSocket() {
  Close();
  SSL_free(ssl_);
}

void TlsSocket::Close() {
  if (closed_) return;
  closed_ = true;
  if (SSL_is_init_finished(ssl_) && !stream_->closed) {
    SSL_shutdown(ssl_);  // queues close_notify; sent without waiting, the kernel buffer has room for it
    char buffer[512];
    int n;
    while ((n = BIO_read(network_out_, buffer, sizeof(buffer))) > 0) {
      uv_buf_t buf = uv_buf_init(buffer, static_cast<unsigned>(n));
      uv_try_write(reinterpret_cast<uv_stream_t*>(&stream_->tcp), &buf, 1);
    }
  }
  ERR_clear_error();
  stream_->Close();
}

int TlsSocket::Flush() {
  char buffer[16 * 1024];
  std::string out;
  int n;
  while ((n = BIO_read(network_out_, buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<size_t>(n));
  if (out.empty()) return 0;
  return stream_->WriteAll(out.data(), out.size());
}

bool TlsSocket::Feed() {
  if (!stream_->WaitForData(1) || stream_->inbox.empty()) return false;
  BIO_write(network_in_, stream_->inbox.data(), static_cast<int>(stream_->inbox.size()));
  stream_->inbox.clear();
  return true;
}

bool TlsSocket::ThrowSslError(v8::Isolate* isolate, const char* syscall) {
  if (stream_->closed || closed_) {
    ThrowCodeError(isolate, "EBADF", "TLS socket closed", syscall);
  } else if (stream_->error) {
    ThrowUvError(isolate, stream_->error, syscall);
  } else if (ERR_peek_last_error() == 0 && stream_->eof) {
    ThrowCodeError(isolate, "ECONNRESET", "peer closed the connection during the TLS exchange", syscall);
  } else {
    std::string code;
    std::string message = TakeOpenSslError(&code);
    ThrowCodeError(isolate, code.c_str(), message, syscall);
  }
  return false;
}

bool TlsSocket::Handshake(v8::Isolate* isolate) {
  for (;;) {
    ERR_clear_error();
    int rc = SSL_do_handshake(ssl_);
    int flushed = Flush();  // alerts too: the peer should learn why
    if (!resolver_error.IsEmpty()) {
      isolate->ThrowException(resolver_error.Get(isolate));
      resolver_error.Reset();
      return false;
    }
    if (rc == 1) return flushed == 0 || (ThrowUvError(isolate, flushed, "handshake"), false);
    int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ && flushed == 0 && Feed()) continue;
    long verify = SSL_get_verify_result(ssl_);
    if (error == SSL_ERROR_SSL && verify != X509_V_OK) {
      ERR_clear_error();
      ThrowCodeError(isolate, VerifyErrorCode(verify), X509_verify_cert_error_string(verify), "handshake");
      return false;
    }
    if (flushed < 0) {
      ThrowUvError(isolate, flushed, "handshake");
      return false;
    }
    return ThrowSslError(isolate, "handshake");
  }
}

bool TlsSocket::Read(v8::Isolate* isolate, std::string* out, bool* failed) {
  *failed = false;
  char buffer[16 * 1024];
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buffer, sizeof(buffer));
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      continue;  // drain what is already decrypted
    }
    int error = SSL_get_error(ssl_, n);
    if (Flush() < 0 && out->empty()) {  // e.g. a key update reply could not be sent
      *failed = !ThrowSslError(isolate, "read");
      return false;
    }
    if (!out->empty()) return true;
    if (error == SSL_ERROR_ZERO_RETURN) return false;  // close_notify: a clean EOF
    if (error == SSL_ERROR_WANT_READ) {
      if (Feed()) continue;
      if (stream_->eof && !stream_->error && !stream_->closed) return false;  // EOF without close_notify
    }
    *failed = !ThrowSslError(isolate, "read");
    return false;
  }
}

bool TlsSocket::Write(v8::Isolate* isolate, const std::string& data) {
  if (closed_) return ThrowSslError(isolate, "write");
  size_t done = 0;
  while (done < data.size()) {
    ERR_clear_error();
    int chunk = static_cast<int>(std::min<size_t>(data.size() - done, 1 << 20));
    int n = SSL_write(ssl_, data.data() + done, chunk);
    if (n <= 0) return ThrowSslError(isolate, "write");
    done += static_cast<size_t>(n);
    int rc = Flush();
    if (rc < 0) {
      ThrowUvError(isolate, rc, "write");
      return false;
    }
  }
  return true;
}

}  // namespace corojs
