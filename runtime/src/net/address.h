// Socket addresses: parsing hosts (IP literals or names, resolved with getaddrinfo on libuv's pool) and
// describing bound/peer addresses to JS.
#pragma once

#include <uv.h>
#include <v8.h>

#include <string>

namespace corojs {

// Resolves `host` (an IPv4/IPv6 literal, or a name) and `port` into `out`; blocks only the calling fiber.
// Returns 0 or a uv error (UV_EAI_NONAME for an unknown name).
int ResolveHostPort(const std::string& host, int port, sockaddr_storage* out);

// { address, port, family: 'IPv4' | 'IPv6' }
v8::Local<v8::Object> AddressObject(v8::Isolate* isolate, const sockaddr_storage& addr);

}  // namespace corojs
