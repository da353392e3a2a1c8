// The stdlib's modules: see stdlib.h. They live apart from the user's module loader (modules.cc): their names
// (corojs:lib/<file>) are no URL a user script can import, and no resolver or import map is asked about them.
#include "kernel/stdlib.h"

#include <map>
#include <string>

#include "kernel/args.h"
#include "kernel/runtime.h"
#include "kernel/runtime_state.h"

namespace corojs {

namespace {

constexpr char kResourcePrefix[] = "corojs:lib/";
constexpr char kRelativePrefix[] = "./";

// Every embedded module by file name, compiled, while the stdlib is linked.
std::map<std::string, v8::Global<v8::Module>> compiled;

bool CompileAll(v8::Isolate* isolate) {
  for (size_t i = 0; i < kStdlibModuleCount; i++) {
    const StdlibModule& file = kStdlibModules[i];
    v8::Local<v8::String> text;
    if (!v8::String::NewFromUtf8(isolate, file.source, v8::NewStringType::kNormal, static_cast<int>(file.length))
             .ToLocal(&text)) {
      return false;
    }
    v8::ScriptOrigin origin(isolate, NewString(isolate, std::string(kResourcePrefix) + file.name), 0, 0, false, -1,
                            v8::Local<v8::Value>(), false, false, true);
    v8::ScriptCompiler::Source source(text, origin);
    v8::Local<v8::Module> module;
    if (!v8::ScriptCompiler::CompileModule(isolate, &source).ToLocal(&module)) return false;
    compiled[file.name].Reset(isolate, module);
  }
  return true;
}

// V8's link callback: './net.js' is the embedded net.js (tools/embed-stdlib.mjs checked at build time that
// every import has this form and a file behind it).
v8::MaybeLocal<v8::Module> ResolveEmbedded(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                           v8::Local<v8::FixedArray> import_assertions,
                                           v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::String::Utf8Value spec(isolate, specifier);
  std::string name = *spec ? *spec : "";
  auto found = name.rfind(kRelativePrefix, 0) == 0 ? compiled.find(name.substr(2)) : compiled.end();
  if (found == compiled.end()) {
    isolate->ThrowException(v8::Exception::Error(NewString(isolate, "the stdlib has no module '" + name + "'")));
    return {};
  }
  return found->second.Get(isolate);
}

}  // namespace

bool RunStdlib(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::TryCatch try_catch(isolate);
  bool linked =
      CompileAll(isolate) && compiled[kStdlibEntry].Get(isolate)->InstantiateModule(context, ResolveEmbedded).IsJust();
  v8::Local<v8::Module> entry = compiled[kStdlibEntry].Get(isolate);
  compiled.clear();  // the linked graph keeps its modules alive
  v8::Local<v8::Value> evaluation;
  if (!linked || !entry->Evaluate(context).ToLocal(&evaluation)) {
    ReportException(isolate, try_catch);
    return false;
  }
  // No stdlib module awaits at its top level, so the evaluation has settled by now.
  v8::Local<v8::Promise> done = evaluation.As<v8::Promise>();
  if (done->State() != v8::Promise::kFulfilled) {
    v8::Local<v8::Value> error = done->State() == v8::Promise::kRejected
                                     ? done->Result()
                                     : v8::Exception::Error(NewString(isolate, "a stdlib module awaited at top level"));
    ReportValue(isolate, error, v8::Exception::CreateMessage(isolate, error));
    return false;
  }
  return true;
}

}  // namespace corojs
