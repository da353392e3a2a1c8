// Argument validation for primordials: each getter returns false after throwing a TypeError, so a binding
// reads `if (!ArgString(info, 0, "path", &path)) return;`.
#pragma once

#include <v8.h>

#include <cstdint>
#include <memory>
#include <string>

namespace corojs {

using Args = v8::FunctionCallbackInfo<v8::Value>;

// Throws TypeError unless at least `count` arguments were passed.
bool ArgCount(const Args& info, int count, const char* function_name);
// A BigInt handle id (a Number that is a safe non-negative integer is accepted too).
bool ArgId(const Args& info, int index, const char* name, uint64_t* out);
// A string without NUL bytes (paths, hosts).
bool ArgString(const Args& info, int index, const char* name, std::string* out);
// An integer within [min, max]; `undefined` gives `fallback` when `optional` is true.
bool ArgInt(const Args& info, int index, const char* name, int64_t min, int64_t max, int64_t* out,
            bool optional = false, int64_t fallback = 0);
// A String (encoded UTF-8) or a Uint8Array/ArrayBufferView (copied) as bytes.
bool ArgBytes(const Args& info, int index, const char* name, std::string* out);

// Bytes as ArgBytes reads them, without copying a view's: `data` points into its ArrayBuffer, whose memory
// `store` keeps alive (even if the buffer is detached or collected meanwhile); a String is encoded into `copy`.
struct ByteView {
  const char* data = nullptr;
  size_t size = 0;
  std::string copy;
  std::shared_ptr<v8::BackingStore> store;
};
bool ArgByteView(const Args& info, int index, const char* name, ByteView* out);
bool ArgFunction(const Args& info, int index, const char* name, v8::Local<v8::Function>* out);

// `s` as UTF-8, a lone surrogate written as U+FFFD (ef bf bd) as the Encoding standard requires: every
// string the runtime hands to the OS (files, sockets, console, paths) goes through here.
std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::String> s);

v8::Local<v8::String> NewString(v8::Isolate* isolate, const std::string& s);
// A Uint8Array holding a copy of `len` bytes.
v8::Local<v8::Uint8Array> NewBytes(v8::Isolate* isolate, const char* data, size_t len);
v8::Local<v8::BigInt> NewId(v8::Isolate* isolate, uint64_t id);

}  // namespace corojs
