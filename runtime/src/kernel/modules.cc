// The ES module loader: see modules.h. Modules are kept by absolute path, so each file is evaluated once.
#include "kernel/modules.h"

#include <uv.h>

#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "kernel/args.h"
#include "kernel/errors.h"
#include "kernel/microtasks.h"
#include "kernel/runtime.h"
#include "kernel/runtime_state.h"

namespace corojs {

namespace {

constexpr const char kBuiltinModule[] = "corojs";
const char* const kBuiltinExports[] = {"fs", "net", "tls", "dns", "Fiber", "console", "process"};

std::map<std::string, v8::Global<v8::Module>> modules_by_path;
// Referrer lookup: identity hash -> (module, path); hashes can collide, so entries are checked.
std::unordered_multimap<int, std::pair<v8::Global<v8::Module>, std::string>> paths_by_module;
v8::Global<v8::Module> builtin_module;

std::string NormalizePath(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string PathOf(v8::Isolate* isolate, v8::Local<v8::Module> module) {
  auto range = paths_by_module.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.first.Get(isolate) == module) return it->second.second;
  }
  return "";
}

bool IsPathSpecifier(const std::string& s) {
  return s.rfind("/", 0) == 0 || s.rfind("./", 0) == 0 || s.rfind("../", 0) == 0 || s.rfind("file://", 0) == 0;
}

// Resolves `specifier` against the directory of `referrer_path`; empty string if it is not a path.
std::string ResolvePath(const std::string& specifier, const std::string& referrer_path) {
  if (specifier.rfind("file://", 0) == 0) return NormalizePath(specifier.substr(7));
  if (!IsPathSpecifier(specifier)) return "";
  if (specifier[0] == '/') return NormalizePath(specifier);
  return NormalizePath(Dirname(referrer_path) + "/" + specifier);
}

v8::MaybeLocal<v8::Value> EvaluateBuiltin(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Object> global = context->Global();
  for (const char* name : kBuiltinExports) {
    v8::Local<v8::String> key = NewString(isolate, name);
    v8::Local<v8::Value> value;
    if (!global->Get(context, key).ToLocal(&value)) return {};
    if (module->SetSyntheticModuleExport(isolate, key, value).IsNothing()) return {};
  }
  return v8::Undefined(isolate);
}

v8::Local<v8::Module> BuiltinModule(v8::Isolate* isolate) {
  if (builtin_module.IsEmpty()) {
    std::vector<v8::Local<v8::String>> names;
    for (const char* name : kBuiltinExports) names.push_back(NewString(isolate, name));
    v8::Local<v8::Module> module =
        v8::Module::CreateSyntheticModule(isolate, NewString(isolate, kBuiltinModule), names, EvaluateBuiltin);
    builtin_module.Reset(isolate, module);
  }
  return builtin_module.Get(isolate);
}

// Compiles the module file at absolute `path` (once); throws ERR_MODULE_NOT_FOUND or a SyntaxError.
v8::MaybeLocal<v8::Module> LoadModule(v8::Isolate* isolate, const std::string& path, const std::string& referrer) {
  auto found = modules_by_path.find(path);
  if (found != modules_by_path.end()) return found->second.Get(isolate);
  std::ifstream file(path, std::ios::binary);
  std::stringstream source_text;
  if (file) source_text << file.rdbuf();
  if (!file || !file.good()) {
    std::string message = "Cannot find module '" + path + "'";
    if (!referrer.empty()) message += " imported from " + referrer;
    ThrowCodeError(isolate, "ERR_MODULE_NOT_FOUND", message);
    return {};
  }
  v8::ScriptOrigin origin(isolate, NewString(isolate, path), 0, 0, false, -1, v8::Local<v8::Value>(), false, false,
                          true);
  v8::ScriptCompiler::Source source(NewString(isolate, source_text.str()), origin);
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(isolate, &source).ToLocal(&module)) return {};
  modules_by_path.emplace(path, v8::Global<v8::Module>(isolate, module));
  paths_by_module.emplace(module->GetIdentityHash(),
                          std::make_pair(v8::Global<v8::Module>(isolate, module), path));
  return module;
}

v8::MaybeLocal<v8::Module> ResolveModule(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                         v8::Local<v8::FixedArray> import_assertions,
                                         v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::String::Utf8Value spec_utf8(isolate, specifier);
  std::string spec(*spec_utf8, spec_utf8.length());
  if (spec == kBuiltinModule) return BuiltinModule(isolate);
  std::string referrer_path = PathOf(isolate, referrer);
  std::string path = ResolvePath(spec, referrer_path);
  if (path.empty()) {
    ThrowCodeError(isolate, "ERR_MODULE_NOT_FOUND",
                   "Cannot find module '" + spec + "' imported from " + referrer_path +
                       " (only relative and absolute paths, file:// URLs and 'corojs' can be imported)");
    return {};
  }
  return LoadModule(isolate, path, referrer_path);
}

// Links and evaluates `module`; returns the evaluation promise, or empty after an exception.
v8::MaybeLocal<v8::Value> LinkAndEvaluate(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  if (module->InstantiateModule(context, ResolveModule).IsNothing()) return {};
  return module->Evaluate(context);
}

v8::MaybeLocal<v8::Promise> ImportDynamically(v8::Local<v8::Context> context, v8::Local<v8::Data> host_options,
                                              v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier,
                                              v8::Local<v8::FixedArray> import_assertions) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Promise::Resolver> resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  v8::TryCatch try_catch(isolate);
  v8::String::Utf8Value spec_utf8(isolate, specifier);
  std::string spec(*spec_utf8, spec_utf8.length());
  std::string referrer_path;
  if (resource_name->IsString()) {
    v8::String::Utf8Value name(isolate, resource_name);
    referrer_path = std::string(*name, name.length());
  } else {
    referrer_path = AbsolutePath("main.mjs");
  }
  v8::Local<v8::Module> module;
  bool ok = false;
  if (spec == kBuiltinModule) {
    module = BuiltinModule(isolate);
    ok = true;
  } else {
    std::string path = ResolvePath(spec, referrer_path);
    if (path.empty()) {
      ThrowCodeError(isolate, "ERR_MODULE_NOT_FOUND",
                     "Cannot find module '" + spec + "' imported from " + referrer_path);
    } else {
      ok = LoadModule(isolate, path, referrer_path).ToLocal(&module);
    }
  }
  v8::Local<v8::Value> evaluation;
  if (ok) ok = LinkAndEvaluate(context, module).ToLocal(&evaluation);
  if (ok && evaluation->IsPromise() && evaluation.As<v8::Promise>()->State() == v8::Promise::kRejected) {
    resolver->Reject(context, evaluation.As<v8::Promise>()->Result()).Check();
  } else if (ok) {
    resolver->Resolve(context, module->GetModuleNamespace()).Check();
  } else if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    resolver->Reject(context, try_catch.Exception()).Check();
  }
  return resolver->GetPromise();
}

void InitializeImportMeta(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                          v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string path = PathOf(isolate, module);
  meta->Set(context, NewString(isolate, "url"), NewString(isolate, "file://" + path)).Check();
  meta->Set(context, NewString(isolate, "filename"), NewString(isolate, path)).Check();
  meta->Set(context, NewString(isolate, "dirname"), NewString(isolate, Dirname(path))).Check();
}

}  // namespace

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return NormalizePath(path);
  char buffer[4096];
  size_t size = sizeof(buffer);
  std::string cwd = uv_cwd(buffer, &size) == 0 ? std::string(buffer, size) : std::string("/");
  return NormalizePath(cwd + "/" + path);
}

void InitModuleLoader(v8::Isolate* isolate) {
  isolate->SetHostImportModuleDynamicallyCallback(ImportDynamically);
  isolate->SetHostInitializeImportMetaObjectCallback(InitializeImportMeta);
}

bool RunMainModule(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path,
                   v8::Local<v8::Value>* evaluation_out) {
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Module> module;
  v8::Local<v8::Value> evaluation;
  if (!LoadModule(isolate, AbsolutePath(path), "").ToLocal(&module) ||
      !LinkAndEvaluate(context, module).ToLocal(&evaluation)) {
    if (try_catch.HasTerminated()) return true;
    ReportException(isolate, try_catch);
    return false;
  }
  RunMicrotasks(isolate);
  // With top-level await, an exception thrown by module code rejects the evaluation promise instead.
  if (evaluation->IsPromise() && evaluation.As<v8::Promise>()->State() == v8::Promise::kRejected) {
    v8::Local<v8::Value> error = evaluation.As<v8::Promise>()->Result();
    ReportValue(isolate, error, v8::Exception::CreateMessage(isolate, error));
    return false;
  }
  *evaluation_out = evaluation;
  return true;
}

}  // namespace corojs
