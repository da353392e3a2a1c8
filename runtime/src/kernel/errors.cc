// Errors crossing into JS: see errors.h.
#include "kernel/errors.h"

#include <uv.h>

namespace corojs {

namespace {

v8::Local<v8::String> Str(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

void Set(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key, const std::string& value) {
  obj->Set(isolate->GetCurrentContext(), Str(isolate, key), Str(isolate, value)).Check();
}

}  // namespace

void ThrowTypeError(v8::Isolate* isolate, const std::string& message, const char* code) {
  v8::Local<v8::Value> error = v8::Exception::TypeError(Str(isolate, message));
  Set(isolate, error.As<v8::Object>(), "code", code);
  isolate->ThrowException(error);
}

v8::Local<v8::Object> MakeCodeError(v8::Isolate* isolate, const char* code, const std::string& message,
                                    const char* syscall, const char* path) {
  std::string text = std::string(code) + ": " + message;
  if (syscall) text += std::string(", ") + syscall;
  if (path) text += std::string(" '") + path + "'";
  v8::Local<v8::Object> error = v8::Exception::Error(Str(isolate, text)).As<v8::Object>();
  Set(isolate, error, "code", code);
  if (syscall) Set(isolate, error, "syscall", syscall);
  if (path) Set(isolate, error, "path", path);
  return error;
}

void ThrowCodeError(v8::Isolate* isolate, const char* code, const std::string& message, const char* syscall,
                    const char* path) {
  isolate->ThrowException(MakeCodeError(isolate, code, message, syscall, path));
}

void ThrowUvError(v8::Isolate* isolate, int uv_status, const char* syscall, const char* path) {
  v8::Local<v8::Object> error = MakeCodeError(isolate, uv_err_name(uv_status), uv_strerror(uv_status), syscall, path);
  error->Set(isolate->GetCurrentContext(), Str(isolate, "errno"), v8::Integer::New(isolate, uv_status)).Check();
  isolate->ThrowException(error);
}

}  // namespace corojs
