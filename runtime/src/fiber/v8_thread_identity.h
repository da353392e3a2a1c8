// V8's idea of "the current thread", which same-thread fibers must swap on every switch (issue 7).
//
// V8 archives and restores per-thread state through Unlocker/Locker keyed by the current thread. In the
// libnode.so.108 we link (V8 10.2) that identity is three values: the pthread-key values behind
// Isolate::isolate_key_ and Isolate::per_isolate_thread_data_key_ (exported symbols), and the C++
// `thread_local int thread_id` behind ThreadId::GetCurrentThreadId() (not exported: found in libnode's static
// TLS block and confirmed by writing a value and reading it back through GetCurrentThreadId()).
#pragma once

#include <v8.h>

#include <string>

namespace corojs::fiber {

struct ThreadIdentity {
  void* isolate = nullptr;  // a fresh identity: V8 allocates a new thread id on first use
  void* thread_data = nullptr;
  int thread_id = 0;
};

class V8ThreadIdentity {
 public:
  // Finds and confirms the three slots from the calling thread, which must have entered `isolate`.
  // false, with the reason in `why_not`, if anything is not exactly as expected: this never guesses.
  bool Locate(v8::Isolate* isolate, std::string* why_not);

  ThreadIdentity Read() const;
  void Write(const ThreadIdentity& identity) const;

 private:
  unsigned isolate_key_ = 0;
  unsigned thread_data_key_ = 0;
  int* thread_id_ = nullptr;  // in the calling thread's TLS block: only valid on that thread
};

}  // namespace corojs::fiber
