// Errors crossing into JS: TypeError for misuse, Error with `code`/`syscall`/`path` for failures (libuv names).
#pragma once

#include <v8.h>

#include <string>

namespace corojs {

// Throws a TypeError with `code` (default ERR_INVALID_ARG_TYPE).
void ThrowTypeError(v8::Isolate* isolate, const std::string& message, const char* code = "ERR_INVALID_ARG_TYPE");

// Throws `Error: <code>: <message>[, syscall 'path']` with properties code, syscall, path (each when non-null).
void ThrowCodeError(v8::Isolate* isolate, const char* code, const std::string& message, const char* syscall = nullptr,
                    const char* path = nullptr);

// Throws an Error for a negative libuv status: code = uv_err_name(status), message = uv_strerror(status).
void ThrowUvError(v8::Isolate* isolate, int uv_status, const char* syscall, const char* path = nullptr);

// Builds (without throwing) the Error ThrowCodeError would throw; for callers that attach more properties.
v8::Local<v8::Object> MakeCodeError(v8::Isolate* isolate, const char* code, const std::string& message,
                                    const char* syscall = nullptr, const char* path = nullptr);

}  // namespace corojs
