// V8's promise-job queue as each fiber must see it (issue 16: a promise job that blocks blocks only itself).
//
// V8 runs promise jobs in one loop per isolate (MicrotaskQueue::RunMicrotasks) and refuses to start another
// while it runs: two fields of the queue, `is_running_microtasks_` and `microtasks_suppressions_`, say so.
// A job that blocks suspends its fiber *inside* that loop, so without help no other fiber could run a job
// until it resumes. The loop itself re-reads the queue before every job, so several loops, one per fiber,
// may interleave safely once each fiber has its own copy of those two fields: the scheduler swaps them on
// every switch, as it swaps V8's thread identity. The fields are not exported; Locate() finds them in the
// queue object and confirms each one through V8's own behaviour (IsRunningMicrotasks(), and a nested
// checkpoint that runs only when both are clear). The queue length comes from V8's exported kSizeOffset.
#pragma once

#include <v8.h>

#include <cstdint>
#include <string>

namespace corojs::fiber {

// One fiber's view of the job loop: a fresh fiber is in no loop.
struct JobLoopState {
  uint8_t running = 0;
  int32_t suppressions = 0;
};

class V8JobState {
 public:
  // Finds and confirms the fields on the context's queue; the isolate must be entered and in no job loop.
  // false, with the reason in `why_not`, if anything is not exactly as expected: this never guesses.
  bool Locate(v8::Isolate* isolate, v8::Local<v8::Context> context, std::string* why_not);
  bool located() const { return queue_ != nullptr; }

  JobLoopState Read() const;
  void Write(const JobLoopState& state) const;
  // Promise jobs waiting to run (V8's own count).
  intptr_t Pending() const { return *reinterpret_cast<const intptr_t*>(queue_ + size_offset_); }

 private:
  char* queue_ = nullptr;
  size_t size_offset_ = 0;
  size_t running_offset_ = 0;
  size_t suppressions_offset_ = 0;
};

}  // namespace corojs::fiber
