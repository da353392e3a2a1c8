// The c-ares channel driven by libuv: see resolver.h.
#include "dns/resolver.h"

#include <ares.h>
#include <uv.h>

#include <map>
#include <memory>
#include <utility>

#include "fiber/blocking_request.h"
#include "kernel/runtime.h"

namespace corojs {

namespace {

struct Channel {
  ares_channel channel = nullptr;
  uv_timer_t timer;
  std::map<ares_socket_t, std::unique_ptr<uv_poll_t>> polls;
  int timeout_ms = 5000;
  int tries = 4;
};

// Made on first use and kept for the process (it ends with _exit).
std::unique_ptr<Channel> state;

void ArmTimer();

void OnTimer(uv_timer_t*) {
  ares_process_fd(state->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  ArmTimer();
}

void ArmTimer() {
  timeval tv;
  timeval* next = ares_timeout(state->channel, nullptr, &tv);
  if (!next) {
    uv_timer_stop(&state->timer);
    return;
  }
  uint64_t ms = static_cast<uint64_t>(next->tv_sec) * 1000 + static_cast<uint64_t>(next->tv_usec) / 1000 + 1;
  uv_timer_start(&state->timer, OnTimer, ms, 0);
}

void OnPoll(uv_poll_t* poll, int status, int events) {
  auto sock = static_cast<ares_socket_t>(reinterpret_cast<intptr_t>(poll->data));
  bool readable = status < 0 || (events & UV_READABLE);
  bool writable = status < 0 || (events & UV_WRITABLE);
  ares_process_fd(state->channel, readable ? sock : ARES_SOCKET_BAD, writable ? sock : ARES_SOCKET_BAD);
  ArmTimer();
}

// c-ares tells us which sockets to watch; libuv watches them.
void OnSocketState(void*, ares_socket_t sock, int readable, int writable) {
  auto found = state->polls.find(sock);
  if (readable || writable) {
    if (found == state->polls.end()) {
      auto watch = std::make_unique<uv_poll_t>();
      uv_poll_init_socket(GetLoop(), watch.get(), sock);
      watch->data = reinterpret_cast<void*>(static_cast<intptr_t>(sock));
      found = state->polls.emplace(sock, std::move(watch)).first;
    }
    uv_poll_t* poll = found->second.get();
    uv_poll_start(poll, (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0), OnPoll);
  } else if (found != state->polls.end()) {
    // libuv uses the handle until its close callback, which takes over the memory and frees it.
    uv_close(reinterpret_cast<uv_handle_t*>(found->second.release()),
             [](uv_handle_t* h) { std::unique_ptr<uv_poll_t>(reinterpret_cast<uv_poll_t*>(h)); });
    state->polls.erase(found);
  }
}

int InitChannel(Channel* c) {
  ares_options options{};
  options.sock_state_cb = OnSocketState;
  options.timeout = c->timeout_ms;
  options.tries = c->tries;
  return ares_init_options(&c->channel, &options, ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
}

Channel* Get() {
  if (!state) {
    ares_library_init(ARES_LIB_INIT_ALL);
    state = std::make_unique<Channel>();
    uv_timer_init(GetLoop(), &state->timer);
    InitChannel(state.get());  // reads /etc/resolv.conf
  }
  return state.get();
}

// A c-ares query has the shape of a libuv request (start with a callback and an argument, one completion), so
// it waits through the same BlockingRequest; the answer is copied out in the callback (c-ares frees its buffer).
struct DnsQuery {
  void* data = nullptr;
  DnsAnswer answer;
};

}  // namespace

namespace fiber {

template <>
struct RequestKind<DnsQuery> {
  using Result = int;
  static void OnDone(void* arg, int status, int, unsigned char* buf, int len) {
    auto* query = static_cast<DnsQuery*>(arg);
    if (buf && len > 0) query->answer.packet.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
    BlockingRequest<DnsQuery>::Complete(query, status);
  }
  static void Cleanup(DnsQuery*) {}
};

}  // namespace fiber

DnsAnswer QueryDns(const std::string& name, int type) {
  Channel* c = Get();
  fiber::BlockingRequest<DnsQuery> query;
  query->answer.status = query.Run([&](DnsQuery* q, ares_callback cb) {
    ares_query(c->channel, name.c_str(), 1 /* class IN */, type, cb, q);
    ArmTimer();
    return 0;
  });
  return std::move(query->answer);
}

int SetDnsServers(const std::string& csv) { return ares_set_servers_ports_csv(Get()->channel, csv.c_str()); }

std::string GetDnsServers() {
  ares_addr_port_node* servers = nullptr;
  if (ares_get_servers_ports(Get()->channel, &servers) != ARES_SUCCESS) return "";
  std::string out;
  for (ares_addr_port_node* s = servers; s; s = s->next) {
    char ip[64] = "";
    uv_inet_ntop(s->family, &s->addr, ip, sizeof(ip));
    if (!out.empty()) out += ",";
    out += s->family == AF_INET6 ? "[" + std::string(ip) + "]" : std::string(ip);
    out += ":" + std::to_string(s->udp_port ? s->udp_port : 53);
  }
  ares_free_data(servers);
  return out;
}

int ConfigureDns(int timeout_ms, int tries) {
  Channel* c = Get();
  std::string servers = GetDnsServers();
  c->timeout_ms = timeout_ms;
  c->tries = tries;
  ares_destroy(c->channel);  // pending queries end with ARES_EDESTRUCTION
  int rc = InitChannel(c);
  if (rc == ARES_SUCCESS && !servers.empty()) rc = SetDnsServers(servers);
  return rc;
}

const char* DnsErrorCode(int status) {
  switch (status) {
    case ARES_ENODATA: return "ENODATA";
    case ARES_EFORMERR: return "EFORMERR";
    case ARES_ESERVFAIL: return "ESERVFAIL";
    case ARES_ENOTFOUND: return "ENOTFOUND";
    case ARES_ENOTIMP: return "ENOTIMP";
    case ARES_EREFUSED: return "EREFUSED";
    case ARES_EBADQUERY: return "EBADQUERY";
    case ARES_EBADNAME: return "EBADNAME";
    case ARES_EBADFAMILY: return "EBADFAMILY";
    case ARES_EBADRESP: return "EBADRESP";
    case ARES_ECONNREFUSED: return "ECONNREFUSED";
    case ARES_ETIMEOUT: return "ETIMEOUT";
    case ARES_EOF: return "EOF";
    case ARES_EFILE: return "EFILE";
    case ARES_ENOMEM: return "ENOMEM";
    case ARES_EDESTRUCTION: return "EDESTRUCTION";
    case ARES_EBADSTR: return "EBADSTR";
    case ARES_ECANCELLED: return "ECANCELLED";
    default: return "EDNS";
  }
}

}  // namespace corojs
