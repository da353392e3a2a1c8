// __primordials.process: argv, env, pid, cwd, hrtime, exit and the exit code used when the loop runs dry.
#include <unistd.h>
#include <uv.h>

#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"

extern char** environ;

namespace corojs {

namespace {

void Argv(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const std::vector<std::string>& argv = GetOptions().argv;
  v8::Local<v8::Array> out = v8::Array::New(isolate, static_cast<int>(argv.size()));
  for (size_t i = 0; i < argv.size(); i++) {
    out->Set(isolate->GetCurrentContext(), static_cast<uint32_t>(i), NewString(isolate, argv[i])).Check();
  }
  info.GetReturnValue().Set(out);
}

void Env(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  for (char** entry = environ; *entry; entry++) {
    std::string pair(*entry);
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    out->Set(context, NewString(isolate, pair.substr(0, eq)), NewString(isolate, pair.substr(eq + 1))).Check();
  }
  info.GetReturnValue().Set(out);
}

void Pid(const Args& info) { info.GetReturnValue().Set(static_cast<double>(getpid())); }

void Cwd(const Args& info) {
  char buffer[4096];
  size_t size = sizeof(buffer);
  int rc = uv_cwd(buffer, &size);
  if (rc < 0) return ThrowUvError(info.GetIsolate(), rc, "cwd");
  info.GetReturnValue().Set(NewString(info.GetIsolate(), std::string(buffer, size)));
}

void Hrtime(const Args& info) {
  info.GetReturnValue().Set(v8::BigInt::NewFromUnsigned(info.GetIsolate(), uv_hrtime()));
}

void Exit(const Args& info) {
  int64_t code;
  if (!ArgInt(info, 0, "code", -2147483648LL, 2147483647LL, &code, true, ExitCode())) return;
  ExitProcess(static_cast<int>(code));
}

void SetExit(const Args& info) {
  int64_t code;
  if (!ArgCount(info, 1, "process.setExitCode") || !ArgInt(info, 0, "code", -2147483648LL, 2147483647LL, &code)) {
    return;
  }
  SetExitCode(static_cast<int>(code));
}

void Versions(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  out->Set(context, NewString(isolate, "v8"), NewString(isolate, v8::V8::GetVersion())).Check();
  out->Set(context, NewString(isolate, "uv"), NewString(isolate, uv_version_string())).Check();
  info.GetReturnValue().Set(out);
}

}  // namespace

void InitProcessBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "argv", Argv);
  SetMethod(isolate, target, "env", Env);
  SetMethod(isolate, target, "pid", Pid);
  SetMethod(isolate, target, "cwd", Cwd);
  SetMethod(isolate, target, "hrtime", Hrtime);
  SetMethod(isolate, target, "exit", Exit);
  SetMethod(isolate, target, "setExitCode", SetExit);
  SetMethod(isolate, target, "versions", Versions);
}

}  // namespace corojs
