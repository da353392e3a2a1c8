// Registering primordials: each capability exposes one Init function that fills its sub-object of
// __primordials (the table in kernel/primordials.cc lists them in the spec's order).
#pragma once

#include <v8.h>

namespace corojs {

void SetMethod(v8::Isolate* isolate, v8::Local<v8::Object> target, const char* name, v8::FunctionCallback callback);

void InitFiberBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitFsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitNetBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitDnsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitTlsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitConsoleBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitProcessBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitHandlesBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitEncodingBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);
void InitTimersBindings(v8::Isolate* isolate, v8::Local<v8::Object> target);

}  // namespace corojs
