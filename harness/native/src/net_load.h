// Native load generator (epoll, one thread, no JavaScript per message): plain TCP or TLS, echo or HTTP/1.1,
// long-lived connections or a fresh connection (and full TLS handshake) per operation, closed loop or open
// loop at a constant arrival rate. Every reply is checked; see reply_check.h and tls_client.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace corojs::lab {

struct LoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string protocol = "echo";  // "echo": messages echoed byte for byte; "http": keep-alive GETs
  bool tls = false;
  std::string ca_pem;                     // tls: the certificates the server may present (trust anchors)
  std::vector<std::string> servernames;   // tls: SNI names, alternated by connection (steady) or operation
  bool handshake = false;                 // each operation: connect, (handshake,) one exchange, close
  int connections = 1;                    // concurrent connections (the most operations in flight)
  size_t message_size = 64;               // echo
  std::string http_body = "hello world";  // http: the body every 200 response must carry
  double warmup_s = 0.5;
  double duration_s = 2;
  double drain_s = 2;  // after the window: how long outstanding replies may still take
  bool open_loop = false;
  double rate_per_s = 0;  // open loop: arrivals per second over all connections
  int server_pid = 0;     // > 0: the server's CPU time over the measured window is read from /proc
};

struct LoadResult {
  uint64_t completed = 0;  // checked replies that arrived inside the measured window
  uint64_t errors = 0;
  uint64_t mismatches = 0;  // wrong answers (bytes, status, body, certificate for the name)
  std::string first_error;
  uint64_t scheduled = 0;    // open loop: arrivals whose intended time fell inside the window
  uint64_t unsent = 0;       // open loop: arrivals still waiting for a free connection when the drain ended
  double elapsed_s = 0;      // the measured window, as it really was
  double cpu_s = 0;          // this thread's CPU time over the window
  double server_cpu_s = -1;  // the server's utime+stime over the window (-1: not read)
  // Per operation begun inside the window, in ns: corrected (open loop: from the intended send; closed loop:
  // from the send), uncorrected (from the actual send) and, open loop, the generator's own lag: actual send
  // minus max(intended send, the moment the connection became free).
  std::vector<double> corrected_ns, uncorrected_ns, lag_ns;
};

LoadResult RunLoad(const LoadOptions& options);

}  // namespace corojs::lab
