// Unit tests of fiber::BlockingRequest against real libuv requests, with V8-free fibers: the scheduler the
// runtime links is replaced by a small stand-in here (Current/Wake/Suspend on core fibers, the loop polled
// between rounds), so the request type is tested on its own: outcomes, start errors, spurious wakes and a
// handle closed by another fiber while a request on it is in flight.
#include "fiber/blocking_request.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fiber/fiber.h"

// The stand-in scheduler: a fiber runs when woken (wakes are sticky until it runs, as in the runtime).
namespace corojs::fiber {

class Fiber {
 public:
  explicit Fiber(std::function<void()> body) : core(std::move(body)) {}
  core::Fiber core;
  bool woken = true;  // runs first when started
  int suspends = 0;
};

namespace {
Fiber* running = nullptr;
}  // namespace

Fiber* Current() { return running; }
void Wake(Fiber* fiber) { fiber->woken = true; }
void Suspend() {
  running->suspends++;
  core::Fiber::Yield();
}

}  // namespace corojs::fiber

namespace {

using corojs::fiber::BlockingRequest;
using corojs::fiber::Fiber;

uv_loop_t* loop() { return uv_default_loop(); }

// Runs every body in its own fiber, round by round, until all have finished; fails (instead of hanging) if they all
// wait on something the loop will never deliver.
std::vector<std::unique_ptr<Fiber>> RunFibers(std::vector<std::function<void()>> bodies) {
  std::vector<std::unique_ptr<Fiber>> fibers;
  for (auto& body : bodies) fibers.push_back(std::make_unique<Fiber>(std::move(body)));
  for (;;) {
    bool unfinished = false, ran = false;
    for (auto& fiber : fibers) {
      if (fiber->core.finished()) continue;
      unfinished = true;
      if (!fiber->woken) continue;
      fiber->woken = false;
      corojs::fiber::running = fiber.get();
      fiber->core.Resume();
      corojs::fiber::running = nullptr;
      ran = true;
    }
    if (!unfinished) return fibers;
    if (ran) continue;  // the loop runs only when no fiber can: a woken fiber always runs first
    bool pending = uv_run(loop(), UV_RUN_ONCE) != 0;
    if (!pending && std::none_of(fibers.begin(), fibers.end(), [](auto& f) { return f->woken; })) {
      ADD_FAILURE() << "every fiber waits and the loop has nothing pending";
      return fibers;
    }
  }
}

std::string TempFileWith(const std::string& bytes) {
  char path[] = "/tmp/blocking-request-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  return path;
}

TEST(BlockingRequest, FsOutcomeAndWhatTheCallbackLeftInTheRequest) {
  std::string path = TempFileWith("twelve bytes");
  ssize_t found = 1, missing = 0;
  uint64_t size = 0;
  RunFibers({[&] {
    BlockingRequest<uv_fs_t> stat;
    found = stat.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_stat(loop(), req, path.c_str(), cb); });
    size = stat->statbuf.st_size;
    BlockingRequest<uv_fs_t> absent;
    missing = absent.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_stat(loop(), req, "/nonexistent/x", cb); });
  }});
  unlink(path.c_str());
  EXPECT_EQ(found, 0);
  EXPECT_EQ(size, 12u);
  EXPECT_EQ(missing, UV_ENOENT);
}

TEST(BlockingRequest, AStartErrorReturnsAtOnceWithoutWaiting) {
  ssize_t rc = 0;
  auto fibers = RunFibers({[&] {
    BlockingRequest<uv_fs_t> read;
    rc = read.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_read(loop(), req, 0, nullptr, 0, -1, cb); });
  }});
  EXPECT_EQ(rc, UV_EINVAL);
  EXPECT_EQ(fibers[0]->suspends, 0);
}

TEST(BlockingRequest, SpuriousWakesDoNotEndTheWait) {
  std::string path = TempFileWith("abc");
  Fiber* waiter = nullptr;
  ssize_t rc = 1;
  uint64_t size = 0;
  auto fibers = RunFibers({
      [&] {
        waiter = corojs::fiber::Current();
        BlockingRequest<uv_fs_t> stat;
        rc = stat.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_stat(loop(), req, path.c_str(), cb); });
        size = stat->statbuf.st_size;
      },
      [&] {  // runs while the stat is in flight (its completion is only delivered by the loop, after this round)
        corojs::fiber::Wake(waiter);
      },
  });
  unlink(path.c_str());
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(size, 3u);
  EXPECT_GE(fibers[0]->suspends, 2);  // woken once for nothing, then suspended again
}

TEST(BlockingRequest, NameLookupKeepsTheAddressesUntilTheWrapperGoes) {
  int rc = 1;
  int family = 0;
  RunFibers({[&] {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    BlockingRequest<uv_getaddrinfo_t> lookup;
    rc = lookup.Run([&](uv_getaddrinfo_t* req, uv_getaddrinfo_cb cb) {
      return uv_getaddrinfo(loop(), req, cb, "localhost", nullptr, &hints);
    });
    if (rc == 0 && lookup->addrinfo) family = lookup->addrinfo->ai_family;
  }});
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(family, AF_INET);
}

// A listening socket that accepts connections and never reads them, so a large write stays in flight.
struct SilentServer {
  uv_tcp_t server;
  std::vector<std::unique_ptr<uv_tcp_t>> accepted;
  sockaddr_in addr;

  SilentServer() {
    uv_tcp_init(loop(), &server);
    server.data = this;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    EXPECT_EQ(uv_tcp_bind(&server, reinterpret_cast<sockaddr*>(&addr), 0), 0);
    EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&server), 8,
                        [](uv_stream_t* s, int) {
                          auto* self = static_cast<SilentServer*>(s->data);
                          self->accepted.push_back(std::make_unique<uv_tcp_t>());
                          uv_tcp_init(loop(), self->accepted.back().get());
                          uv_accept(s, reinterpret_cast<uv_stream_t*>(self->accepted.back().get()));
                        }),
              0);
    int len = sizeof(addr);
    uv_tcp_getsockname(&server, reinterpret_cast<sockaddr*>(&addr), &len);
  }
  // Closes every handle and runs the loop until their close callbacks have run.
  void Close() {
    uv_close(reinterpret_cast<uv_handle_t*>(&server), nullptr);
    for (auto& peer : accepted) uv_close(reinterpret_cast<uv_handle_t*>(peer.get()), nullptr);
    uv_run(loop(), UV_RUN_DEFAULT);
  }
};

TEST(BlockingRequest, ConnectWriteAndShutdownReportTheirStatus) {
  SilentServer server;
  uv_tcp_t client;
  uv_tcp_init(loop(), &client);
  int connected = 1, written = 1, shut = 1;
  RunFibers({[&] {
    auto* stream = reinterpret_cast<uv_stream_t*>(&client);
    BlockingRequest<uv_connect_t> connect;
    connected = connect.Run([&](uv_connect_t* req, uv_connect_cb cb) {
      return uv_tcp_connect(req, &client, reinterpret_cast<sockaddr*>(&server.addr), cb);
    });
    char hello[] = "hello";
    uv_buf_t buf = uv_buf_init(hello, 5);
    BlockingRequest<uv_write_t> write;
    written = write.Run([&](uv_write_t* req, uv_write_cb cb) { return uv_write(req, stream, &buf, 1, cb); });
    BlockingRequest<uv_shutdown_t> shutdown;
    shut = shutdown.Run([&](uv_shutdown_t* req, uv_shutdown_cb cb) { return uv_shutdown(req, stream, cb); });
  }});
  EXPECT_EQ(connected, 0);
  EXPECT_EQ(written, 0);
  EXPECT_EQ(shut, 0);
  uv_close(reinterpret_cast<uv_handle_t*>(&client), nullptr);
  server.Close();
}

TEST(BlockingRequest, ConnectToAClosedPortIsRefused) {
  sockaddr_in addr;
  {
    SilentServer gone;  // a port that was just listening: nothing listens there now
    addr = gone.addr;
    gone.Close();
  }
  uv_tcp_t client;
  uv_tcp_init(loop(), &client);
  int rc = 0;
  RunFibers({[&] {
    BlockingRequest<uv_connect_t> connect;
    rc = connect.Run([&](uv_connect_t* req, uv_connect_cb cb) {
      return uv_tcp_connect(req, &client, reinterpret_cast<sockaddr*>(&addr), cb);
    });
  }});
  EXPECT_EQ(rc, UV_ECONNREFUSED);
  uv_close(reinterpret_cast<uv_handle_t*>(&client), nullptr);
  uv_run(loop(), UV_RUN_DEFAULT);
}

TEST(BlockingRequest, AHandleClosedByAnotherFiberCancelsTheWriteInFlight) {
  SilentServer server;
  uv_tcp_t client;
  uv_tcp_init(loop(), &client);
  std::string big(64 << 20, 'x');  // more than the kernel buffers of a peer that never reads
  Fiber* closer = nullptr;
  bool writing = false, closed = false;
  int rc = 0;
  RunFibers({
      [&] {
        BlockingRequest<uv_connect_t> connect;
        ASSERT_EQ(connect.Run([&](uv_connect_t* req, uv_connect_cb cb) {
          return uv_tcp_connect(req, &client, reinterpret_cast<sockaddr*>(&server.addr), cb);
        }),
                  0);
        uv_buf_t buf = uv_buf_init(big.data(), static_cast<unsigned>(big.size()));
        BlockingRequest<uv_write_t> write;
        writing = true;
        corojs::fiber::Wake(closer);  // it runs once this fiber waits in Run, with the write in flight
        rc = write.Run([&](uv_write_t* req, uv_write_cb cb) {
          return uv_write(req, reinterpret_cast<uv_stream_t*>(&client), &buf, 1, cb);
        });
      },
      [&] {
        closer = corojs::fiber::Current();
        while (!writing) corojs::fiber::Suspend();
        uv_close(reinterpret_cast<uv_handle_t*>(&client), [](uv_handle_t* h) { *static_cast<bool*>(h->data) = true; });
        client.data = &closed;
      },
  });
  EXPECT_EQ(rc, UV_ECANCELED);
  server.Close();  // runs the loop until every handle has closed
  EXPECT_TRUE(closed);
}

}  // namespace
