// One blocking request: a libuv request (or a c-ares query) that the calling fiber starts and then waits on,
// the runtime's one way to turn a callback into a blocking call (libuv's request types, Node's ReqWrap):
//
//   fiber::BlockingRequest<uv_fs_t> request;
//   ssize_t rc = request.Run([&](uv_fs_t* req, uv_fs_cb done) { return uv_fs_stat(loop, req, path, done); });
//   if (rc == 0) use(request->statbuf);
//
// The wrapper owns the request, the waiting fiber and the outcome; its destructor frees what libuv left in
// the request (uv_fs_req_cleanup, uv_freeaddrinfo). Lifetime: Run returns only after the callback has run,
// whatever wakes the fiber meanwhile (WaitUntil re-checks), and a blocked fiber is never unwound (the process
// ends with _exit), so the request memory always outlives libuv's use of it, wherever the wrapper lives.
// Closing a handle while a request on it is in flight makes libuv call the callback with UV_ECANCELED; the
// caller keeps the handle's memory alive across Run (a shared_ptr), as libuv requires until that callback.
#pragma once

#include <sys/types.h>
#include <uv.h>

#include "fiber/scheduler.h"

namespace corojs::fiber {

// What differs between request types: the callback libuv calls (OnDone, which reports the outcome with
// Complete), the outcome's type, and what the request still owns afterwards (Cleanup). Specialized below for
// libuv's requests; dns/resolver.cc adds c-ares queries. Every request type has a `void* data` member.
template <class Req>
struct RequestKind;

template <class Req>
class BlockingRequest {
 public:
  using Kind = RequestKind<Req>;
  using Result = typename Kind::Result;

  BlockingRequest() { req_.data = this; }
  ~BlockingRequest() { Kind::Cleanup(&req_); }
  BlockingRequest(const BlockingRequest&) = delete;
  BlockingRequest& operator=(const BlockingRequest&) = delete;

  // Starts the request with `start(&request, callback)`, which returns 0 or a negative error, and blocks the
  // calling fiber until the callback has run. Returns start's error, or the outcome the callback reported.
  // One Run per wrapper.
  template <class Start>
  Result Run(Start start) {
    waiter_ = Current();
    int rc = start(&req_, &Kind::OnDone);
    if (rc < 0) return rc;
    WaitUntil([this] { return done_; });  // a callback run inside start (c-ares may) is already done
    return result_;
  }

  // The request, for what the callback left in it (statbuf, scandir entries, addrinfo).
  Req* get() { return &req_; }
  Req* operator->() { return &req_; }

  // Called by Kind::OnDone: records the outcome and makes the waiting fiber runnable.
  static void Complete(Req* req, Result result) {
    auto* self = static_cast<BlockingRequest*>(req->data);
    self->result_ = result;
    self->done_ = true;
    Wake(self->waiter_);
  }

 private:
  Req req_{};  // zeroed, so Cleanup is safe even if start failed before libuv touched it
  Fiber* waiter_ = nullptr;
  bool done_ = false;
  Result result_{};
};

// File system requests: the outcome is req->result (bytes, a descriptor, 0, or a uv error).
template <>
struct RequestKind<uv_fs_t> {
  using Result = ssize_t;
  static void OnDone(uv_fs_t* req) { BlockingRequest<uv_fs_t>::Complete(req, req->result); }
  static void Cleanup(uv_fs_t* req) { uv_fs_req_cleanup(req); }
};

// Stream requests: the outcome is the callback's status (0, or a uv error; UV_ECANCELED on close).
template <class Req>
struct StatusRequestKind {
  using Result = int;
  static void OnDone(Req* req, int status) { BlockingRequest<Req>::Complete(req, status); }
  static void Cleanup(Req*) {}
};
template <>
struct RequestKind<uv_write_t> : StatusRequestKind<uv_write_t> {};
template <>
struct RequestKind<uv_shutdown_t> : StatusRequestKind<uv_shutdown_t> {};
template <>
struct RequestKind<uv_connect_t> : StatusRequestKind<uv_connect_t> {};

// Name lookups: the outcome is the status; the addresses stay in req->addrinfo (libuv passes the same list to
// the callback) until the wrapper goes.
template <>
struct RequestKind<uv_getaddrinfo_t> {
  using Result = int;
  static void OnDone(uv_getaddrinfo_t* req, int status, addrinfo*) {
    BlockingRequest<uv_getaddrinfo_t>::Complete(req, status);
  }
  static void Cleanup(uv_getaddrinfo_t* req) { uv_freeaddrinfo(req->addrinfo); }
};

}  // namespace corojs::fiber
