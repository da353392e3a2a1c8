// The TLS side of the native load generator (OpenSSL 3): a client context trusting only the run's
// certificates, verifying every served certificate against them and against the SNI name asked for, with
// session resumption off (every handshake is a full one).
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace corojs::lab {

class TlsClient {
 public:
  // `ca_pem`: one or more PEM certificates; ok() is false (and error() says why) when none could be used.
  explicit TlsClient(const std::string& ca_pem);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool ok() const { return ctx_ != nullptr; }
  const std::string& error() const { return error_; }

  // A client session on `fd` that sends `servername` as SNI and accepts only a certificate valid for it.
  SSL* NewSession(int fd, const std::string& servername) const;

  // Why a handshake (or read/write) failed: the verification failure for `servername` when there was one,
  // else OpenSSL's error queue (cleared).
  static std::string FailureReason(SSL* ssl, const std::string& servername, int ssl_error);

 private:
  SSL_CTX* ctx_ = nullptr;
  std::string error_;
};

}  // namespace corojs::lab
