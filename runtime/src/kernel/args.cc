// Argument validation for primordials: see args.h.
#include "kernel/args.h"

#include <cstring>

#include "kernel/errors.h"

namespace corojs {

namespace {

bool Fail(const Args& info, const char* name, const char* expected) {
  ThrowTypeError(info.GetIsolate(), std::string("The \"") + name + "\" argument must be " + expected);
  return false;
}

}  // namespace

bool ArgCount(const Args& info, int count, const char* function_name) {
  if (info.Length() >= count) return true;
  ThrowTypeError(info.GetIsolate(),
                 std::string(function_name) + " expects " + std::to_string(count) + " argument(s), got " +
                     std::to_string(info.Length()),
                 "ERR_MISSING_ARGS");
  return false;
}

bool ArgId(const Args& info, int index, const char* name, uint64_t* out) {
  v8::Local<v8::Value> v = info[index];
  if (v->IsBigInt()) {
    bool lossless = false;
    *out = v.As<v8::BigInt>()->Uint64Value(&lossless);
    if (lossless) return true;
    return Fail(info, name, "a handle id (a non-negative 64-bit BigInt)");
  }
  if (v->IsNumber()) {
    double d = v.As<v8::Number>()->Value();
    if (d >= 0 && d <= 9007199254740991.0 && d == static_cast<double>(static_cast<uint64_t>(d))) {
      *out = static_cast<uint64_t>(d);
      return true;
    }
  }
  return Fail(info, name, "a handle id (BigInt)");
}

bool ArgString(const Args& info, int index, const char* name, std::string* out) {
  if (!info[index]->IsString()) return Fail(info, name, "of type string");
  *out = ToUtf8(info.GetIsolate(), info[index].As<v8::String>());
  if (out->find('\0') != std::string::npos) {
    ThrowTypeError(info.GetIsolate(), std::string("The \"") + name + "\" argument must not contain null bytes",
                   "ERR_INVALID_ARG_VALUE");
    return false;
  }
  return true;
}

bool ArgInt(const Args& info, int index, const char* name, int64_t min, int64_t max, int64_t* out, bool optional,
            int64_t fallback) {
  v8::Local<v8::Value> v = info[index];
  if (optional && (v->IsUndefined() || v->IsNull())) {
    *out = fallback;
    return true;
  }
  double d;
  if (v->IsNumber()) {
    d = v.As<v8::Number>()->Value();
  } else if (v->IsBigInt()) {
    bool lossless = false;
    int64_t i = v.As<v8::BigInt>()->Int64Value(&lossless);
    if (!lossless) return Fail(info, name, "an integer in range");
    d = static_cast<double>(i);
  } else {
    return Fail(info, name, "an integer");
  }
  if (d != d || d != static_cast<double>(static_cast<int64_t>(d))) return Fail(info, name, "an integer");
  if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Value> error = v8::Exception::RangeError(
        NewString(isolate, std::string("The value of \"") + name + "\" is out of range: " + std::to_string(d)));
    error.As<v8::Object>()
        ->Set(isolate->GetCurrentContext(), NewString(isolate, "code"), NewString(isolate, "ERR_OUT_OF_RANGE"))
        .Check();
    isolate->ThrowException(error);
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool ArgByteView(const Args& info, int index, const char* name, ByteView* out) {
  v8::Local<v8::Value> v = info[index];
  if (v->IsArrayBufferView() && v.As<v8::ArrayBufferView>()->HasBuffer()) {
    v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    out->store = view->Buffer()->GetBackingStore();
    out->data = static_cast<const char*>(out->store->Data()) + view->ByteOffset();
    out->size = view->ByteLength();
    return true;
  }
  if (!ArgBytes(info, index, name, &out->copy)) return false;  // strings, and small views kept on V8's heap
  out->data = out->copy.data();
  out->size = out->copy.size();
  return true;
}

bool ArgBytes(const Args& info, int index, const char* name, std::string* out) {
  v8::Local<v8::Value> v = info[index];
  if (v->IsString()) {
    *out = ToUtf8(info.GetIsolate(), v.As<v8::String>());
    return true;
  }
  if (v->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    out->resize(view->ByteLength());
    if (!out->empty()) view->CopyContents(out->data(), out->size());
    return true;
  }
  return Fail(info, name, "a string or Uint8Array");
}

bool ArgFunction(const Args& info, int index, const char* name, v8::Local<v8::Function>* out) {
  if (!info[index]->IsFunction()) return Fail(info, name, "a function");
  *out = info[index].As<v8::Function>();
  return true;
}

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::String> s) {
  // Utf8Length counts a lone surrogate as 3 bytes, the size of its U+FFFD.
  std::string out(static_cast<size_t>(s->Utf8Length(isolate)), '\0');
  if (!out.empty()) {
    s->WriteUtf8(isolate, out.data(), static_cast<int>(out.size()), nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  return out;
}

v8::Local<v8::String> NewString(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

v8::Local<v8::Uint8Array> NewBytes(v8::Isolate* isolate, const char* data, size_t len) {
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, len);
  if (len) memcpy(buffer->GetBackingStore()->Data(), data, len);
  return v8::Uint8Array::New(buffer, 0, len);
}

v8::Local<v8::BigInt> NewId(v8::Isolate* isolate, uint64_t id) { return v8::BigInt::NewFromUnsigned(isolate, id); }

}  // namespace corojs
