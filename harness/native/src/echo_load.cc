// Native echo load generator: see echo_load.h. One outstanding message per connection; the open-loop
// schedule is harness/src/loadgen/rate-schedule.ts: arrival k + i * connections at start + n / rate.
#include "echo_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace corojs::lab {

namespace {

double NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double ThreadCpuS() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Connection {
  int fd = -1;
  int id = 0;
  std::vector<uint8_t> payload;
  uint64_t index = 0;     // message number being sent/awaited
  size_t sent = 0;        // bytes of the current message written
  size_t received = 0;    // bytes of the current echo received
  bool in_flight = false;
  bool want_write = false;
  bool dead = false;
  double intended_ns = 0;
  double sent_ns = 0;
};

}  // namespace

EchoLoadResult RunEchoLoad(const EchoLoadOptions& o) {
  EchoLoadResult r;
  auto fail = [&r](const std::string& what) {
    r.errors++;
    if (r.first_error.empty()) r.first_error = what;
  };
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(o.port);
  inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);

  int ep = epoll_create1(0);
  std::vector<Connection> conns(o.connections);
  for (int k = 0; k < o.connections; k++) {
    Connection& c = conns[k];
    c.id = k;
    c.payload.resize(o.message_size);
    for (size_t i = 0; i < o.message_size; i++) c.payload[i] = EchoPayloadByte(i, k);
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      fail(std::string("connect: ") + strerror(errno));
      close(c.fd);
      c.fd = -1;
      c.dead = true;
      continue;
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = k;
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  }

  const double start = NowNs() + 20e6;  // the schedule begins shortly after every connection is up
  const double measure_from = start + o.warmup_s * 1e9;
  const double end = measure_from + o.duration_s * 1e9;
  const double period = o.open_loop ? 1e9 / o.rate_per_s : 0;
  double cpu_at_measure = -1;
  std::vector<uint8_t> scratch(std::max<size_t>(o.message_size, 65536));

  auto set_write_interest = [&](Connection& c, bool want) {
    if (c.want_write == want) return;
    c.want_write = want;
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
    ev.data.u32 = c.id;
    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
  };
  auto kill = [&](Connection& c, const std::string& why) {
    fail("connection " + std::to_string(c.id) + ": " + why);
    c.dead = true;
    epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
  };
  auto flush = [&](Connection& c) {
    while (c.sent < c.payload.size()) {
      ssize_t n = send(c.fd, c.payload.data() + c.sent, c.payload.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += n;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        set_write_interest(c, true);
        return;
      }
      kill(c, std::string("send: ") + strerror(errno));
      return;
    }
    set_write_interest(c, false);
  };
  auto begin_send = [&](Connection& c, double now) {
    for (size_t b = 0; b < std::min<size_t>(4, c.payload.size()); b++) c.payload[b] = (c.index >> (8 * b)) & 0xff;
    c.sent = 0;
    c.received = 0;
    c.in_flight = true;
    c.sent_ns = now;
    flush(c);
  };
  auto next_intended = [&](const Connection& c) { return start + (c.id + c.index * double(o.connections)) * period; };

  for (Connection& c : conns) c.intended_ns = o.open_loop ? next_intended(c) : start;
  std::vector<epoll_event> events(std::max(1, o.connections));
  for (;;) {
    double now = NowNs();
    if (now >= end) break;
    if (cpu_at_measure < 0 && now >= measure_from) cpu_at_measure = ThreadCpuS();
    // Send every idle connection whose (intended) time has come; remember the earliest still to come.
    double next_due = end;
    for (Connection& c : conns) {
      if (c.dead || c.in_flight) continue;
      if (c.intended_ns <= now) {
        if (c.intended_ns >= end) continue;
        begin_send(c, now);
      } else {
        next_due = std::min(next_due, c.intended_ns);
      }
    }
    // Sleep in epoll only while the next send is more than a millisecond away; spin the last stretch.
    int timeout_ms = 0;
    double wait_ns = next_due - NowNs();
    if (wait_ns > 1.5e6) timeout_ms = static_cast<int>(wait_ns / 1e6) - 1;
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int e = 0; e < n; e++) {
      Connection& c = conns[events[e].data.u32];
      if (c.dead) continue;
      if (events[e].events & EPOLLOUT) flush(c);
      if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
      for (;;) {
        ssize_t got = recv(c.fd, scratch.data(), scratch.size(), 0);
        if (got == 0) {
          kill(c, "connection closed by the server");
          break;
        }
        if (got < 0) {
          if (errno != EAGAIN && errno != EWOULDBLOCK) kill(c, std::string("recv: ") + strerror(errno));
          break;
        }
        if (!c.in_flight || c.received + got > c.payload.size() ||
            memcmp(scratch.data(), c.payload.data() + c.received, got) != 0) {
          r.mismatches++;
          if (r.first_error.empty()) r.first_error = "connection " + std::to_string(c.id) + ": echo mismatch at message " + std::to_string(c.index);
          c.dead = true;
          epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
          break;
        }
        c.received += got;
        if (c.received < c.payload.size()) continue;
        double replied = NowNs();
        c.in_flight = false;
        if (c.sent_ns >= measure_from && replied <= end) {
          r.completed++;
          double from = o.open_loop ? c.intended_ns : c.sent_ns;
          r.corrected_ns.push_back(replied - from);
          if (o.open_loop) {
            r.uncorrected_ns.push_back(replied - c.sent_ns);
            r.lag_ns.push_back(std::max(0.0, c.sent_ns - c.intended_ns));
          }
        }
        c.index++;
        if (o.open_loop) {
          c.intended_ns = next_intended(c);
        } else if (replied < end) {
          begin_send(c, replied);
        }
        break;
      }
    }
  }
  r.elapsed_s = o.duration_s;
  r.cpu_s = cpu_at_measure < 0 ? 0 : ThreadCpuS() - cpu_at_measure;
  for (Connection& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  close(ep);
  return r;
}

}  // namespace corojs::lab
