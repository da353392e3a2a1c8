// Socket addresses: see address.h.
#include "net/address.h"

#include <cctype>
#include <cstring>

#include "fiber/blocking_request.h"
#include "kernel/args.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"

namespace corojs {

std::string Unbracketed(const std::string& host) {
  bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
  return bracketed ? host.substr(1, host.size() - 2) : host;
}

bool IsValidHost(const std::string& host) {
  std::string literal = Unbracketed(host);
  if (literal.find('\0') != std::string::npos) return false;
  sockaddr_storage probe;
  if (uv_ip4_addr(literal.c_str(), 0, reinterpret_cast<sockaddr_in*>(&probe)) == 0 ||
      uv_ip6_addr(literal.c_str(), 0, reinterpret_cast<sockaddr_in6*>(&probe)) == 0) {
    return true;
  }
  std::string name = host;
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

bool CheckHost(v8::Isolate* isolate, const char* what, const std::string& host) {
  if (IsValidHost(host)) return true;
  std::string shown;
  for (char c : host) {
    if (c == '\0') shown += "\\x00";
    else shown += c;
  }
  ThrowTypeError(isolate,
                 std::string("The argument '") + what + "' is not an IP address or DNS name. Received '" + shown + "'",
                 "ERR_INVALID_ARG_VALUE");
  return false;
}

int ResolveHostPort(const std::string& host, int port, sockaddr_storage* out) {
  memset(out, 0, sizeof(*out));
  std::string literal = Unbracketed(host);
  if (uv_ip4_addr(literal.c_str(), port, reinterpret_cast<sockaddr_in*>(out)) == 0) return 0;
  if (uv_ip6_addr(literal.c_str(), port, reinterpret_cast<sockaddr_in6*>(out)) == 0) return 0;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  fiber::BlockingRequest<uv_getaddrinfo_t> lookup;
  int status = lookup.Run([&](uv_getaddrinfo_t* req, uv_getaddrinfo_cb cb) {
    return uv_getaddrinfo(GetLoop(), req, cb, literal.c_str(), nullptr, &hints);
  });
  const addrinfo* found = lookup->addrinfo;
  if (status == 0 && found) {
    memcpy(out, found->ai_addr, found->ai_addrlen);
    if (out->ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(out)->sin_port = htons(port);
    else reinterpret_cast<sockaddr_in6*>(out)->sin6_port = htons(port);
  }
  return status;
}

v8::Local<v8::Object> AddressObject(v8::Isolate* isolate, const sockaddr_storage& addr) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  char ip[INET6_ADDRSTRLEN] = "";
  int port = 0;
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    uv_ip6_name(a, ip, sizeof(ip));
    port = ntohs(a->sin6_port);
  } else {
    auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    uv_ip4_name(a, ip, sizeof(ip));
    port = ntohs(a->sin_port);
  }
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  out->Set(context, NewString(isolate, "address"), NewString(isolate, ip)).Check();
  out->Set(context, NewString(isolate, "port"), v8::Integer::New(isolate, port)).Check();
  out->Set(context, NewString(isolate, "family"), NewString(isolate, addr.ss_family == AF_INET6 ? "IPv6" : "IPv4"))
      .Check();
  return out;
}

}  // namespace corojs
