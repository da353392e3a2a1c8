// Socket addresses: parsing hosts (IP literals or names, resolved with getaddrinfo on libuv's pool) and
// describing bound/peer addresses to JS.
#pragma once

#include <uv.h>
#include <v8.h>

#include <string>

namespace corojs {

// `host` without the brackets of an IPv6 literal ("[::1]" -> "::1"); other hosts as they are.
std::string Unbracketed(const std::string& host);

// True for an IPv4/IPv6 literal (bracketed or not) or a DNS name (labels of letters, digits, '-' and '_',
// 1..63 bytes each, 253 in all, an optional final dot). A name with a NUL or any other byte is not one: it
// would be checked or looked up as something other than what the caller wrote.
bool IsValidHost(const std::string& host);

// Throws ERR_INVALID_ARG_VALUE (a TypeError) naming `what` unless IsValidHost(host); returns whether valid.
bool CheckHost(v8::Isolate* isolate, const char* what, const std::string& host);

// Resolves `host` (an IPv4/IPv6 literal, or a name) and `port` into `out`; blocks only the calling fiber.
// Returns 0 or a uv error (UV_EAI_NONAME for an unknown name).
int ResolveHostPort(const std::string& host, int port, sockaddr_storage* out);

// { address, port, family: 'IPv4' | 'IPv6' }
v8::Local<v8::Object> AddressObject(v8::Isolate* isolate, const sockaddr_storage& addr);

}  // namespace corojs
