// V8's platform, with the loop told about foreground work (issue 16: V8 platform tasks make progress).
//
// V8 posts work for the isolate's thread to a foreground task runner: the end of an asynchronous
// WebAssembly compile, GC finalisation, delayed tasks. The default platform only queues it until someone
// calls platform::PumpMessageLoop. This platform delegates everything to the default one and, whenever a
// foreground task is posted (from any thread), wakes the libuv loop so the task runs promptly, whatever the
// fibers are doing; a delayed task wakes it when due. Work still being compiled in the background keeps the
// process alive (Node does the same), checked with Isolate::HasPendingBackgroundTasks.
#pragma once

#include <uv.h>
#include <v8.h>

#include <memory>

namespace corojs {

// Makes the platform to pass to V8::InitializePlatform.
std::unique_ptr<v8::Platform> NewLoopPlatform();
// Binds the platform to the isolate and its loop (the loop thread, once, before any script runs).
void AttachLoopPlatform(v8::Isolate* isolate, uv_loop_t* loop);
// Runs every foreground task that is due. True if any ran.
bool RunPlatformTasks();
// True while V8 has work that will later post foreground tasks (an asynchronous WebAssembly compile); the
// loop then waits for that work. While it returns true, call it again before each loop turn: it lets go of
// the loop once the work is done.
bool HoldLoopForPlatform();

}  // namespace corojs
