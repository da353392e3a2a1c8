// __primordials.encoding: UTF-8 encode/decode for TextEncoder/TextDecoder (bare V8 has neither).
#include "kernel/args.h"
#include "kernel/binding.h"

namespace corojs {

namespace {

void Encode(const Args& info) {
  std::string bytes;
  if (!ArgCount(info, 1, "encoding.encode") || !ArgBytes(info, 0, "input", &bytes)) return;
  info.GetReturnValue().Set(NewBytes(info.GetIsolate(), bytes.data(), bytes.size()));
}

// decode(bytes, start, end): invalid sequences become U+FFFD, as TextDecoder's default.
void Decode(const Args& info) {
  if (!ArgCount(info, 1, "encoding.decode")) return;
  if (!info[0]->IsArrayBufferView()) {
    std::string ignored;
    ArgBytes(info, 0, "input", &ignored);  // throws the TypeError for a non-view
    if (info[0]->IsString()) info.GetReturnValue().Set(info[0]);
    return;
  }
  v8::Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
  int64_t length = static_cast<int64_t>(view->ByteLength());
  int64_t start, end;
  if (!ArgInt(info, 1, "start", 0, length, &start, true, 0) ||
      !ArgInt(info, 2, "end", start, length, &end, true, length)) {
    return;
  }
  std::string bytes(static_cast<size_t>(length), '\0');
  if (length) view->CopyContents(bytes.data(), bytes.size());
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(info.GetIsolate(), bytes.data() + start, v8::NewStringType::kNormal,
                               static_cast<int>(end - start))
           .ToLocal(&text)) {
    return;  // too long: V8 has thrown a RangeError
  }
  info.GetReturnValue().Set(text);
}

}  // namespace

void InitEncodingBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "encode", Encode);
  SetMethod(isolate, target, "decode", Decode);
}

}  // namespace corojs
