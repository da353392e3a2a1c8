// Promise jobs in a fiber runtime: run at safe points (a fiber blocking or ending, the main module done), and
// an unhandled rejection ends the process with status 1, as in Node.
#pragma once

#include <v8.h>

namespace corojs {

void InitMicrotasks(v8::Isolate* isolate);
// Runs pending promise jobs; reports the first unhandled rejection and exits 1 if there is one.
void RunMicrotasks(v8::Isolate* isolate);
// Blocks the calling fiber until `promise` settles (at once if it has); its jobs go on meanwhile. The promise
// counts as handled: the caller reads its state and result.
void AwaitPromise(v8::Isolate* isolate, v8::Local<v8::Promise> promise);
// A promise was rejected with no handler and none has been added since.
bool HasUnhandledRejections();

}  // namespace corojs
