// __primordials.encoding: UTF-8 encode/decode for TextEncoder/TextDecoder (bare V8 has neither).
// V8 converts (its UTF-8 decoder already replaces each maximal subpart of an invalid sequence with one
// U+FFFD, as the Encoding standard says); `scan` adds what V8 cannot tell us: whether the bytes are valid
// (TextDecoder's `fatal`) and where a sequence split across stream chunks begins (`stream: true`).
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

// The bytes of an ArrayBufferView, read in place (no JS runs while a binding holds this pointer).
const char* ViewData(v8::Local<v8::ArrayBufferView> view) {
  return static_cast<const char*>(view->Buffer()->GetBackingStore()->Data()) + view->ByteOffset();
}

// The Encoding standard's UTF-8 decoder run without output: `valid` is false if any byte sequence is an
// error; `complete` is where a trailing sequence that is unfinished but valid so far begins (else size).
struct Utf8Scan {
  bool valid = true;
  size_t complete = 0;
};

Utf8Scan ScanUtf8(const unsigned char* bytes, size_t size) {
  Utf8Scan scan;
  int needed = 0, seen = 0;
  unsigned char lower = 0x80, upper = 0xbf;
  size_t start = 0;
  for (size_t i = 0; i < size; i++) {
    unsigned char b = bytes[i];
    if (needed == 0) {
      start = i;
      if (b <= 0x7f) continue;
      if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b == 0xe0) lower = 0xa0;
        if (b == 0xed) upper = 0x9f;
        needed = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b == 0xf0) lower = 0x90;
        if (b == 0xf4) upper = 0x8f;
        needed = 3;
      } else {
        scan.valid = false;
      }
      continue;
    }
    if (b < lower || b > upper) {  // the sequence so far is one error; this byte starts afresh
      scan.valid = false;
      needed = seen = 0;
      lower = 0x80, upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80, upper = 0xbf;
    if (++seen == needed) needed = seen = 0;
  }
  scan.complete = needed ? start : size;
  return scan;
}

bool ArgView(const Args& info, int index, const char* name, v8::Local<v8::ArrayBufferView>* out) {
  if (info[index]->IsArrayBufferView()) {
    *out = info[index].As<v8::ArrayBufferView>();
    return true;
  }
  ThrowTypeError(info.GetIsolate(), std::string("The \"") + name + "\" argument must be an ArrayBufferView");
  return false;
}

void Encode(const Args& info) {
  std::string bytes;
  if (!ArgCount(info, 1, "encoding.encode") || !ArgBytes(info, 0, "input", &bytes)) return;
  info.GetReturnValue().Set(NewBytes(info.GetIsolate(), bytes.data(), bytes.size()));
}

// encodeInto(string, uint8array): writes the whole characters that fit; returns [read, written] with `read`
// in UTF-16 code units, as TextEncoder.encodeInto reports them.
void EncodeInto(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!ArgCount(info, 2, "encoding.encodeInto")) return;
  if (!info[0]->IsString()) return ThrowTypeError(isolate, "The \"source\" argument must be of type string");
  if (!info[1]->IsUint8Array()) return ThrowTypeError(isolate, "The \"destination\" argument must be a Uint8Array");
  v8::Local<v8::Uint8Array> dest = info[1].As<v8::Uint8Array>();
  int read = 0, written = 0;
  size_t capacity = dest->ByteLength();
  if (capacity > 0) {
    char* data = const_cast<char*>(ViewData(dest));
    written =
        info[0].As<v8::String>()->WriteUtf8(isolate, data, static_cast<int>(std::min<size_t>(capacity, INT32_MAX)),
                                            &read, v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  v8::Local<v8::Value> pair[] = {v8::Integer::New(isolate, read), v8::Integer::New(isolate, written)};
  info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
}

// decode(bytes, start, end): invalid sequences become U+FFFD, as TextDecoder's default.
void Decode(const Args& info) {
  if (!ArgCount(info, 1, "encoding.decode")) return;
  if (info[0]->IsString()) return info.GetReturnValue().Set(info[0]);
  v8::Local<v8::ArrayBufferView> view;
  if (!ArgView(info, 0, "input", &view)) return;
  int64_t length = static_cast<int64_t>(view->ByteLength());
  int64_t start, end;
  if (!ArgInt(info, 1, "start", 0, length, &start, true, 0) ||
      !ArgInt(info, 2, "end", start, length, &end, true, length)) {
    return;
  }
  const char* data = length ? ViewData(view) : "";
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(info.GetIsolate(), data + start, v8::NewStringType::kNormal,
                               static_cast<int>(end - start))
           .ToLocal(&text)) {
    return;  // too long: V8 has thrown a RangeError
  }
  info.GetReturnValue().Set(text);
}

// scan(bytes): [valid, complete] (see ScanUtf8).
void Scan(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::ArrayBufferView> view;
  if (!ArgCount(info, 1, "encoding.scan") || !ArgView(info, 0, "input", &view)) return;
  size_t length = view->ByteLength();
  Utf8Scan scan = ScanUtf8(reinterpret_cast<const unsigned char*>(length ? ViewData(view) : ""), length);
  v8::Local<v8::Value> pair[] = {v8::Boolean::New(isolate, scan.valid),
                                 v8::Number::New(isolate, static_cast<double>(scan.complete))};
  info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
}

}  // namespace

void InitEncodingBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "encode", Encode);
  SetMethod(isolate, target, "encodeInto", EncodeInto);
  SetMethod(isolate, target, "decode", Decode);
  SetMethod(isolate, target, "scan", Scan);
}

}  // namespace corojs
