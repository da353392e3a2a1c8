// Finds V8's per-loop job-queue fields (see v8_job_state.h) and swaps them.
#include "fiber/v8_job_state.h"

#include <dlfcn.h>

#include <cstring>
#include <vector>

namespace corojs::fiber {

namespace {

constexpr char kSizeOffset[] = "_ZN2v88internal14MicrotaskQueue11kSizeOffsetE";
constexpr char kFinishedCountOffset[] = "_ZN2v88internal14MicrotaskQueue29kFinishedMicrotaskCountOffsetE";
// The fields follow the finished-job count (next_, prev_, then the ints and bools); look this far past it,
// which stays inside the 104-byte object of V8 10.2 (ASan checks the bound).
constexpr size_t kScanBytes = 40;

struct Probe {
  v8::Isolate* isolate;
  v8::MicrotaskQueue* queue;
  char* scan;                        // first byte examined
  std::vector<uint8_t> outside;      // the scanned bytes with no job loop running
  std::vector<size_t> running;       // offsets (from scan) confirmed as is_running_microtasks_
  std::vector<size_t> suppressions;  // offsets confirmed as microtasks_suppressions_
  bool nested_ran = false;
};

int32_t IntAt(const char* p) {
  int32_t value;
  memcpy(&value, p, sizeof(value));
  return value;
}

void SetInt(char* p, int32_t value) { memcpy(p, &value, sizeof(value)); }

// Runs as a promise job: the loop's fields now say "running".
void InsideJob(void* data) {
  auto* probe = static_cast<Probe*>(data);
  char* scan = probe->scan;
  for (size_t i = 0; i < kScanBytes; i++) {
    if (probe->outside[i] != 0 || static_cast<uint8_t>(scan[i]) != 1) continue;
    scan[i] = 0;  // the running flag is the byte whose clearing V8 itself then reports
    bool cleared = !probe->queue->IsRunningMicrotasks();
    scan[i] = 1;
    if (cleared && probe->queue->IsRunningMicrotasks()) probe->running.push_back(i);
  }
  if (probe->running.size() != 1) return;
  size_t running = probe->running[0];
  for (size_t i = 0; i + sizeof(int32_t) <= kScanBytes; i += alignof(int32_t)) {
    if (running >= i && running < i + sizeof(int32_t)) continue;
    if (IntAt(reinterpret_cast<char*>(probe->outside.data()) + i) != 0 || IntAt(scan + i) != 1) continue;
    // With both fields clear, V8 must agree to run a nested loop; it leaves them clear when done.
    scan[running] = 0;
    SetInt(scan + i, 0);
    probe->nested_ran = false;
    probe->queue->EnqueueMicrotask(
        probe->isolate, [](void* d) { static_cast<Probe*>(d)->nested_ran = true; }, probe);
    probe->queue->PerformCheckpoint(probe->isolate);
    bool left_clear = scan[running] == 0 && IntAt(scan + i) == 0;
    scan[running] = 1;
    SetInt(scan + i, 1);
    if (probe->nested_ran && left_clear) probe->suppressions.push_back(i);
  }
}

}  // namespace

bool V8JobState::Locate(v8::Isolate* isolate, v8::Local<v8::Context> context, std::string* why_not) {
  auto* size_offset = static_cast<const size_t*>(dlsym(RTLD_DEFAULT, kSizeOffset));
  auto* finished_offset = static_cast<const size_t*>(dlsym(RTLD_DEFAULT, kFinishedCountOffset));
  v8::MicrotaskQueue* queue = context->GetMicrotaskQueue();
  if (!size_offset || !finished_offset || !queue) {
    *why_not = "libnode does not export V8's microtask queue layout";
    return false;
  }
  if (queue->IsRunningMicrotasks()) {
    *why_not = "the job loop is already running";
    return false;
  }
  char* base = reinterpret_cast<char*>(queue);
  Probe probe{isolate, queue, base + *finished_offset + sizeof(intptr_t), {}, {}, {}};
  probe.outside.assign(probe.scan, probe.scan + kScanBytes);
  queue->EnqueueMicrotask(isolate, InsideJob, &probe);
  queue->PerformCheckpoint(isolate);
  if (probe.running.size() != 1 || probe.suppressions.size() != 1) {
    *why_not = "V8's job-loop fields were not found exactly once";
    return false;
  }
  queue_ = base;
  size_offset_ = *size_offset;
  running_offset_ = static_cast<size_t>(probe.scan - base) + probe.running[0];
  suppressions_offset_ = static_cast<size_t>(probe.scan - base) + probe.suppressions[0];
  return true;
}

JobLoopState V8JobState::Read() const {
  return {static_cast<uint8_t>(queue_[running_offset_]), IntAt(queue_ + suppressions_offset_)};
}

void V8JobState::Write(const JobLoopState& state) const {
  queue_[running_offset_] = static_cast<char>(state.running);
  SetInt(queue_ + suppressions_offset_, state.suppressions);
}

}  // namespace corojs::fiber
