// The native load generator: see net_load.h.
//
// Connections are slots; an operation takes a free slot. Closed loop: every free slot starts its next
// operation at once. Open loop (wrk2's method): arrival n is due at start + n / rate; a due arrival takes the
// next free slot, and waits for one when all are busy, so a slow server shows as latency (measured from the
// intended time) and never as generator lag. Lag is only the generator's own delay: the actual send minus
// max(intended time, the moment the slot became free). After the window, outstanding replies (and, open
// loop, arrivals still waiting) get `drain_s` to finish; anything left is an error that says where it stood.
#include "net_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>

#include "reply_check.h"
#include "tls_client.h"

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

// utime + stime of every thread of `pid`, in seconds (-1 when unreadable): the kernel's process CPU clock
// (the accounting /proc/<pid>/stat reports, in ns rather than 10 ms ticks, which would be a few per cent of a
// one-second window at low load), else /proc/<pid>/stat itself.
double ProcessCpuS(int pid) {
  if (pid <= 0) return -1;
  clockid_t clock;
  timespec ts;
  if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &ts) == 0) return ts.tv_sec + ts.tv_nsec / 1e9;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char* p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long long utime = 0, stime = 0;
  // After ") ": state is field 3; utime and stime are fields 14 and 15.
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

constexpr uint64_t kTimerKey = ~0ull;
constexpr uint64_t kMaxFailures = 1000;  // enough to say what is wrong; more would only burn the window

struct Slot {
  enum class State { kClosed, kConnecting, kHandshaking, kIdle, kBusy };
  int id = 0;
  uint32_t generation = 0;  // bumped per socket, so a stale event for a closed socket is ignored
  int fd = -1;
  SSL* ssl = nullptr;
  State state = State::kClosed;
  bool dead = false;  // a long-lived connection that failed: never used again
  bool want_write = false;
  std::string servername;
  std::unique_ptr<ReplyCheck> check;
  const std::string* out = nullptr;
  size_t out_offset = 0;
  uint64_t ops = 0;
  bool has_op = false;
  double intended_ns = 0, free_ns = 0, started_ns = 0;
};

class Run {
 public:
  explicit Run(const LoadOptions& o) : o_(o) {}
  LoadResult Go();

 private:
  void Fail(Slot& s, const std::string& why, bool wrong_answer = false);
  void Open(Slot& s);
  void Connected(Slot& s);
  void Handshake(Slot& s);
  void Established(Slot& s);
  void StartOp(Slot& s, double intended, double now);
  void Send(Slot& s);
  void Flush(Slot& s);
  void Receive(Slot& s);
  bool Consume(Slot& s, const uint8_t* data, size_t n);
  void Complete(Slot& s);
  void CloseSocket(Slot& s);
  void MakeFree(Slot& s, double now);
  void SetWriteInterest(Slot& s, bool want);
  void OnEvent(Slot& s, uint32_t events);
  void Dispatch(double now);
  void Snapshot(double now);
  void WaitForEvents(double now);
  bool Finished(double now) const;
  void ArmTimer(double at_ns);

  const LoadOptions& o_;
  LoadResult r_;
  std::unique_ptr<TlsClient> tls_;
  std::vector<Slot> slots_;
  std::deque<int> free_;
  int ep_ = -1, timer_ = -1;
  sockaddr_in addr_{};
  bool running_ = false;  // the schedule has begun (steady connections are set up before)
  double start_ = 0, measure_from_ = 0, end_ = 0, drain_until_ = 0, period_ = 0;
  uint64_t arrival_ = 0;  // open loop: the next arrival's number
  int busy_ = 0;
  bool window_open_ = false, window_closed_ = false;
  double armed_ns_ = -1;
  double cpu0_ = 0, server_cpu0_ = -1, window_start_ns_ = 0;
  std::vector<uint8_t> buffer_ = std::vector<uint8_t>(1 << 17);
};

void Run::Fail(Slot& s, const std::string& why, bool wrong_answer) {
  (wrong_answer ? r_.mismatches : r_.errors)++;
  if (r_.first_error.empty()) r_.first_error = why;
  if (s.has_op) {
    s.has_op = false;
    busy_--;
  }
  CloseSocket(s);
  if (o_.handshake) MakeFree(s, NowNs());  // the slot opens a new connection for the next operation
  else s.dead = true;
}

void Run::CloseSocket(Slot& s) {
  if (s.fd < 0) return;
  epoll_ctl(ep_, EPOLL_CTL_DEL, s.fd, nullptr);
  if (s.ssl) {
    SSL_shutdown(s.ssl);  // one close_notify, not waiting for the peer's
    SSL_free(s.ssl);
    s.ssl = nullptr;
    ERR_clear_error();
  }
  close(s.fd);
  s.fd = -1;
  s.state = Slot::State::kClosed;
  s.want_write = false;
}

void Run::MakeFree(Slot& s, double now) {
  s.free_ns = now;
  free_.push_back(s.id);
}

void Run::SetWriteInterest(Slot& s, bool want) {
  if (s.want_write == want) return;
  s.want_write = want;
  epoll_event ev{};
  ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
  ev.data.u64 = (uint64_t(s.generation) << 32) | uint32_t(s.id);
  epoll_ctl(ep_, EPOLL_CTL_MOD, s.fd, &ev);
}

void Run::Open(Slot& s) {
  s.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s.fd < 0) return Fail(s, std::string("socket: ") + strerror(errno));
  int one = 1;
  setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  s.generation++;
  s.want_write = true;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.u64 = (uint64_t(s.generation) << 32) | uint32_t(s.id);
  epoll_ctl(ep_, EPOLL_CTL_ADD, s.fd, &ev);
  if (o_.tls) s.servername = o_.servernames[(o_.handshake ? s.ops : s.id) % o_.servernames.size()];
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_) == 0) return Connected(s);
  if (errno != EINPROGRESS) return Fail(s, std::string("connect: ") + strerror(errno));
  s.state = Slot::State::kConnecting;
}

void Run::Connected(Slot& s) {
  if (!o_.tls) return Established(s);
  s.ssl = tls_->NewSession(s.fd, s.servername);
  s.state = Slot::State::kHandshaking;
  Handshake(s);
}

void Run::Handshake(Slot& s) {
  int rc = SSL_do_handshake(s.ssl);
  if (rc == 1) {
    // SSL_VERIFY_PEER has already refused an unverified chain or a wrong name; this guards the contract.
    if (SSL_get_verify_result(s.ssl) != X509_V_OK || !SSL_get0_peer_certificate(s.ssl))
      return Fail(s, "wrong certificate for " + s.servername + ": not verified", true);
    return Established(s);
  }
  int error = SSL_get_error(s.ssl, rc);
  if (error == SSL_ERROR_WANT_READ) return SetWriteInterest(s, false);
  if (error == SSL_ERROR_WANT_WRITE) return SetWriteInterest(s, true);
  bool certificate = SSL_get_verify_result(s.ssl) != X509_V_OK;
  Fail(s, TlsClient::FailureReason(s.ssl, s.servername, error), certificate);
}

void Run::Established(Slot& s) {
  SetWriteInterest(s, false);
  s.state = Slot::State::kIdle;
  if (o_.handshake) return Send(s);  // the operation began with the connect
  MakeFree(s, NowNs());
}

void Run::StartOp(Slot& s, double intended, double now) {
  s.has_op = true;
  busy_++;
  s.intended_ns = intended;
  s.started_ns = now;
  if (o_.handshake) Open(s);
  else Send(s);
}

void Run::Send(Slot& s) {
  s.out = &s.check->Begin(s.ops);
  s.out_offset = 0;
  s.state = Slot::State::kBusy;
  Flush(s);
}

void Run::Flush(Slot& s) {
  while (s.out && s.out_offset < s.out->size()) {
    const char* data = s.out->data() + s.out_offset;
    size_t left = s.out->size() - s.out_offset;
    if (s.ssl) {
      int n = SSL_write(s.ssl, data, static_cast<int>(left));
      if (n > 0) {
        s.out_offset += n;
        continue;
      }
      int error = SSL_get_error(s.ssl, n);
      if (error == SSL_ERROR_WANT_WRITE) return SetWriteInterest(s, true);
      if (error == SSL_ERROR_WANT_READ) return;
      return Fail(s, TlsClient::FailureReason(s.ssl, s.servername, error));
    }
    ssize_t n = send(s.fd, data, left, MSG_NOSIGNAL);
    if (n > 0) {
      s.out_offset += n;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return SetWriteInterest(s, true);
    return Fail(s, std::string("send: ") + strerror(errno));
  }
  SetWriteInterest(s, false);
}

// Feeds received bytes to the slot's check; false when the slot can no longer read (failed or closed).
bool Run::Consume(Slot& s, const uint8_t* data, size_t n) {
  while (n > 0) {
    if (!s.has_op || s.state != Slot::State::kBusy) {
      Fail(s,
           std::to_string(n) + " unexpected byte(s) from the server on connection " + std::to_string(s.id) +
               " with no request outstanding",
           true);
      return false;
    }
    size_t used = 0;
    std::string why;
    ReplyCheck::Status status = s.check->Feed(data, n, &used, &why);
    if (status == ReplyCheck::Status::kWrong) {
      Fail(s, why, true);
      return false;
    }
    data += used;
    n -= used;
    if (status == ReplyCheck::Status::kDone) {
      Complete(s);
      if (s.fd < 0) return false;  // a handshake operation closes after its one reply
    }
  }
  return true;
}

void Run::Receive(Slot& s) {
  for (;;) {
    if (s.ssl) {
      int n = SSL_read(s.ssl, buffer_.data(), static_cast<int>(buffer_.size()));
      if (n > 0) {
        if (!Consume(s, buffer_.data(), n)) return;
        // Level-triggered epoll reports whatever the kernel still holds; skip the read that would say EAGAIN.
        if (!s.has_op && !SSL_has_pending(s.ssl)) return;
        continue;
      }
      int error = SSL_get_error(s.ssl, n);
      if (error == SSL_ERROR_WANT_READ) return;
      if (error == SSL_ERROR_WANT_WRITE) return SetWriteInterest(s, true);
      std::string where = s.has_op ? ": " + s.check->Progress() : "";
      return Fail(s, TlsClient::FailureReason(s.ssl, s.servername, error) + where);
    }
    ssize_t n = recv(s.fd, buffer_.data(), buffer_.size(), 0);
    if (n > 0) {
      if (!Consume(s, buffer_.data(), n)) return;
      if (!s.has_op && static_cast<size_t>(n) < buffer_.size()) return;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    std::string where = s.has_op ? ": " + s.check->Progress() : "";
    return Fail(
        s, (n == 0 ? std::string("connection closed by the server") : std::string("recv: ") + strerror(errno)) + where);
  }
}

void Run::Complete(Slot& s) {
  double now = NowNs();
  s.has_op = false;
  busy_--;
  s.ops++;
  if (now >= measure_from_ && now <= end_) r_.completed++;
  double from = o_.open_loop ? s.intended_ns : s.started_ns;
  if (from >= measure_from_ && from < end_) {
    r_.corrected_ns.push_back(now - from);
    r_.uncorrected_ns.push_back(now - s.started_ns);
    if (o_.open_loop) r_.lag_ns.push_back(std::max(0.0, s.started_ns - std::max(s.intended_ns, s.free_ns)));
  }
  if (o_.handshake) CloseSocket(s);
  else s.state = Slot::State::kIdle;
  MakeFree(s, now);
}

void Run::OnEvent(Slot& s, uint32_t events) {
  switch (s.state) {
    case Slot::State::kClosed: return;
    case Slot::State::kConnecting: {
      int error = 0;
      socklen_t len = sizeof error;
      getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &len);
      if (error) return Fail(s, std::string("connect: ") + strerror(error));
      if (events & (EPOLLOUT | EPOLLIN)) Connected(s);
      return;
    }
    case Slot::State::kHandshaking: return Handshake(s);
    case Slot::State::kIdle:
    case Slot::State::kBusy:
      if (events & EPOLLOUT) Flush(s);
      if (s.fd >= 0 && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) Receive(s);
      return;
  }
}

// Starts operations: closed loop on every free slot while the window lasts; open loop every due arrival
// (intended before the window's end) that finds a free slot, including during the drain.
void Run::Dispatch(double now) {
  if (!running_ || now < start_) return;
  // At most one pass over the slots free now: a slot that fails at once is free again, and must wait its turn.
  for (size_t passes = free_.size(); passes > 0 && !free_.empty(); passes--) {
    if (slots_[free_.front()].dead) {  // a lost long-lived connection takes no arrival
      free_.pop_front();
      continue;
    }
    double intended = now;
    if (o_.open_loop) {
      intended = start_ + arrival_ * period_;
      if (intended > now || intended >= end_) return;
      arrival_++;
    } else if (now >= end_) {
      return;
    }
    Slot& s = slots_[free_.front()];
    free_.pop_front();
    StartOp(s, intended, NowNs());
  }
}

void Run::Snapshot(double now) {
  if (!window_open_ && now >= measure_from_) {
    window_open_ = true;
    window_start_ns_ = now;
    cpu0_ = ThreadCpuS();
    server_cpu0_ = ProcessCpuS(o_.server_pid);
  }
  if (window_open_ && !window_closed_ && now >= end_) {
    window_closed_ = true;
    r_.elapsed_s = (now - window_start_ns_) / 1e9;
    r_.cpu_s = ThreadCpuS() - cpu0_;
    double server = ProcessCpuS(o_.server_pid);
    if (server >= 0 && server_cpu0_ >= 0) r_.server_cpu_s = server - server_cpu0_;
  }
}

bool Run::Finished(double now) const {
  if (r_.errors + r_.mismatches >= kMaxFailures) return true;
  if (now < end_) return false;
  bool waiting = o_.open_loop && start_ + arrival_ * period_ < end_;
  return (busy_ == 0 && !waiting) || now >= drain_until_;
}

void Run::ArmTimer(double at_ns) {
  if (at_ns == armed_ns_) return;  // one syscall fewer per wake-up when the target has not moved
  armed_ns_ = at_ns;
  itimerspec spec{};
  at_ns = std::max(at_ns, 1.0);
  spec.it_value.tv_sec = static_cast<time_t>(at_ns / 1e9);
  spec.it_value.tv_nsec = static_cast<long>(at_ns - spec.it_value.tv_sec * 1e9);
  timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

// Sleeps in epoll until a socket is ready or the next moment that matters (window edges, the next due
// arrival when a slot is free), woken by a timerfd with nanosecond resolution instead of spinning.
void Run::WaitForEvents(double now) {
  double wake = running_ ? drain_until_ : now + 1e9;
  if (running_) {
    if (now < start_) wake = start_;
    else if (!window_open_) wake = measure_from_;
    else if (!window_closed_) wake = end_;
    if (o_.open_loop && !free_.empty()) wake = std::min(wake, start_ + arrival_ * period_);
  }
  ArmTimer(wake);
  epoll_event events[256];
  int n = epoll_wait(ep_, events, 256, -1);
  for (int e = 0; e < n; e++) {
    uint64_t key = events[e].data.u64;
    if (key == kTimerKey) {
      armed_ns_ = -1;  // fired: the next wake-up must re-arm it
      continue;
    }
    Slot& s = slots_[key & 0xffffffffu];
    if (s.generation == key >> 32 && s.fd >= 0) OnEvent(s, events[e].events);
  }
}

LoadResult Run::Go() {
  prctl(PR_SET_TIMERSLACK, 1UL);  // timer wake-ups as precise as the kernel gives
  if (o_.tls) {
    tls_ = std::make_unique<TlsClient>(o_.ca_pem);
    if (!tls_->ok()) {
      r_.errors = 1;
      r_.first_error = tls_->error();
      return r_;
    }
    if (o_.servernames.empty()) {
      r_.errors = 1;
      r_.first_error = "no TLS server name given";
      return r_;
    }
  }
  if (o_.open_loop && !(o_.rate_per_s > 0)) {
    r_.errors = 1;
    r_.first_error = "open loop needs a rate > 0";
    return r_;
  }
  addr_.sin_family = AF_INET;
  addr_.sin_port = htons(o_.port);
  if (inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr) != 1) {
    r_.errors = 1;
    r_.first_error = "not an IPv4 address: " + o_.host;
    return r_;
  }
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  epoll_event tev{};
  tev.events = EPOLLIN | EPOLLET;  // edge-triggered: every expiry wakes once, without a read to clear it
  tev.data.u64 = kTimerKey;
  epoll_ctl(ep_, EPOLL_CTL_ADD, timer_, &tev);
  std::string host_header = o_.host + ":" + std::to_string(o_.port);
  slots_.resize(std::max(1, o_.connections));
  for (size_t k = 0; k < slots_.size(); k++) {
    Slot& s = slots_[k];
    s.id = static_cast<int>(k);
    s.check = o_.protocol == "http" ? MakeHttpCheck(host_header, o_.http_body) : MakeEchoCheck(o_.message_size, s.id);
  }
  if (o_.handshake) {
    for (Slot& s : slots_) MakeFree(s, NowNs());
  } else {
    // Long-lived connections (and their handshakes) are set up before the schedule starts.
    for (Slot& s : slots_) Open(s);
    double give_up = NowNs() + 10e9;
    while (free_.size() + std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.dead; }) <
           slots_.size()) {
      double now = NowNs();
      if (now > give_up) {
        r_.errors++;
        if (r_.first_error.empty()) r_.first_error = "connections not set up within 10 s";
        break;
      }
      WaitForEvents(now);
    }
  }
  running_ = true;
  start_ = NowNs() + 20e6;
  measure_from_ = start_ + o_.warmup_s * 1e9;
  end_ = measure_from_ + o_.duration_s * 1e9;
  drain_until_ = end_ + o_.drain_s * 1e9;
  period_ = o_.open_loop ? 1e9 / o_.rate_per_s : 0;
  for (;;) {
    double now = NowNs();
    Snapshot(now);
    if (Finished(now)) break;
    if (!o_.handshake && std::all_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.dead; })) break;
    Dispatch(now);
    WaitForEvents(NowNs());
  }
  Snapshot(std::max(NowNs(), end_));
  if (o_.open_loop) {
    r_.scheduled = static_cast<uint64_t>(std::max(0.0, std::ceil((end_ - measure_from_) / period_)));
    uint64_t due = static_cast<uint64_t>(std::ceil((end_ - start_) / period_));
    if (arrival_ < due) r_.unsent = due - arrival_;
  }
  for (Slot& s : slots_) {
    if (busy_ == 0 || !s.has_op) continue;
    char drain[32];
    snprintf(drain, sizeof drain, "%.1f s", o_.drain_s);
    r_.errors += busy_;
    if (r_.first_error.empty())
      r_.first_error =
          std::to_string(busy_) + " operation(s) unanswered " + drain + " after the window (connection " +
          std::to_string(s.id) + ": " +
          (s.state == Slot::State::kBusy ? s.check->Progress() : std::string("connection not established")) + ")";
    break;
  }
  if (r_.unsent > 0) {
    r_.errors++;
    if (r_.first_error.empty())
      r_.first_error = "the server fell behind the offered rate: " + std::to_string(r_.unsent) +
                       " arrival(s) never found a free connection";
  }
  for (Slot& s : slots_) CloseSocket(s);
  close(timer_);
  close(ep_);
  return r_;
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options) {
  Run run(options);
  return run.Go();
}

}  // namespace corojs::lab
