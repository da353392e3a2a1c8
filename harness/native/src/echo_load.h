// Native TCP echo load generator (epoll, one thread): closed loop or open loop at a constant arrival rate,
// latency from the intended send (wrk2's method), every echoed byte compared with what was sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace corojs::lab {

struct EchoLoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 1;
  size_t message_size = 64;
  double warmup_s = 0.5;
  double duration_s = 2;
  bool open_loop = false;
  double rate_per_s = 0;  // open loop: total arrivals per second over all connections
};

struct EchoLoadResult {
  uint64_t completed = 0;
  uint64_t errors = 0;
  uint64_t mismatches = 0;
  std::string first_error;
  double elapsed_s = 0;
  double cpu_s = 0;  // this thread's CPU time over the measured window
  // Per measured reply, in ns: corrected (from the intended send; closed loop: from the send), uncorrected
  // (from the actual send) and the generator's own lag (actual - intended send).
  std::vector<double> corrected_ns, uncorrected_ns, lag_ns;
};

EchoLoadResult RunEchoLoad(const EchoLoadOptions& options);

// The payload byte at `index` for `connection`: the same pattern as harness/src/loadgen/echo-check.ts.
inline uint8_t EchoPayloadByte(size_t index, int connection) {
  return static_cast<uint8_t>((index * 31 + connection * 7 + 1) & 0xff);
}

}  // namespace corojs::lab
