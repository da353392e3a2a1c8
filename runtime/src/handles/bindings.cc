// __primordials.handles: HandleStore ownership (a handle is closed when its owning fiber ends) and counts.
#include "fiber/scheduler.h"
#include "handles/handle_store.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

// transfer(id): the calling fiber becomes the handle's owner (the accept loop hands sockets to handlers).
void Transfer(const Args& info) {
  uint64_t id;
  if (!ArgCount(info, 1, "handles.transfer") || !ArgId(info, 0, "id", &id)) return;
  if (!HandleStore::Transfer(id, fiber::OwnerId())) {
    ThrowCodeError(info.GetIsolate(), "EBADF", "bad handle id " + std::to_string(id) + " (unknown or closed)");
  }
}

void Count(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  out->Set(context, NewString(isolate, "total"), v8::Number::New(isolate, HandleStore::Size())).Check();
  for (HandleKind kind : {HandleKind::kFile, HandleKind::kTcpServer, HandleKind::kTcpSocket, HandleKind::kTlsContext,
                          HandleKind::kTlsSocket}) {
    out->Set(context, NewString(isolate, HandleKindName(kind)),
             v8::Number::New(isolate, static_cast<double>(HandleStore::SizeOf(kind))))
        .Check();
  }
  info.GetReturnValue().Set(out);
}

}  // namespace

void InitHandlesBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "transfer", Transfer);
  SetMethod(isolate, target, "count", Count);
}

}  // namespace corojs
