// The c-ares channel, driven by the libuv loop: its sockets watched with uv_poll, its timeouts with a
// uv_timer. One channel per process; queries block only the calling fiber.
#pragma once

#include <string>

namespace corojs {

struct DnsAnswer {
  int status = 0;      // ARES_SUCCESS or an ARES_E* code
  std::string packet;  // the raw DNS response
};

// Sends a query of `type` (ns_t_*) for `name` and blocks the fiber until the answer or a failure.
DnsAnswer QueryDns(const std::string& name, int type);
// Points the resolver at "ip", "ip:port" or "[ipv6]:port" servers (comma-separated). Returns an ARES code.
int SetDnsServers(const std::string& csv);
// The current servers as "ip:port,...".
std::string GetDnsServers();
// Per-attempt timeout and attempts; rebuilds the channel (keeping its servers). Returns an ARES code.
int ConfigureDns(int timeout_ms, int tries);

// Node's name for a c-ares status: ENOTFOUND, ENODATA, ETIMEOUT, ECONNREFUSED, ...
const char* DnsErrorCode(int status);

}  // namespace corojs
