// The ES module loader: see modules.h. The three phases are kept apart as the specification has them: a
// graph is loaded first (every file read and compiled, every request resolved), then linked, then evaluated.
// Linking never compiles: a compile error inside V8's resolve callback is a fatal V8 check, not a JS error.
#include "kernel/modules.h"

#include <sys/stat.h>
#include <uv.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

#include "kernel/args.h"
#include "kernel/errors.h"
#include "kernel/microtasks.h"
#include "kernel/module_resolution.h"
#include "kernel/module_resolvers.h"
#include "kernel/module_sources.h"
#include "kernel/runtime.h"
#include "kernel/runtime_state.h"

namespace corojs {

const char kModuleV8Flags[] = "--harmony-import-assertions --harmony-import-attributes";

namespace {

constexpr char kBuiltinModule[] = "corojs";

std::map<std::string, std::unique_ptr<ModuleRecord>> records_by_path;
ModuleRecord* builtin_record = nullptr;
ImportMap import_map;

std::string ImportedFrom(const std::string& referrer) { return referrer.empty() ? "" : " imported from " + referrer; }

ModuleRecord* BuiltinRecord(v8::Isolate* isolate) {
  if (builtin_record == nullptr) {
    auto record = std::make_unique<ModuleRecord>();
    record->path = kBuiltinModule;
    record->format = ModuleFormat::kBuiltin;
    record->module.Reset(isolate, NewBuiltinModule(isolate));
    IndexRecord(isolate, record.get());
    builtin_record = record.get();
    records_by_path.emplace(kBuiltinModule, std::move(record));
  }
  return builtin_record;
}

// Compiles `source` as the module at `path` and keeps it: later imports of `path` get this record.
ModuleRecord* AddRecord(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path,
                        ModuleFormat format, const std::string& source) {
  auto record = std::make_unique<ModuleRecord>();
  record->path = path;
  record->format = format;
  if (!CompileRecord(isolate, context, record.get(), source)) return nullptr;
  IndexRecord(isolate, record.get());
  ModuleRecord* added = record.get();
  records_by_path.emplace(path, std::move(record));
  return added;
}

// Reads and compiles the file at absolute `path` once; throws ERR_MODULE_NOT_FOUND, ERR_UNSUPPORTED_DIR_IMPORT,
// a read error, or the file's SyntaxError.
ModuleRecord* LoadFile(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& path,
                       ModuleFormat format, const std::string& referrer) {
  auto found = records_by_path.find(path);
  if (found != records_by_path.end()) return found->second.get();
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    ThrowLoaderError(isolate, v8::Exception::Error, "ERR_UNSUPPORTED_DIR_IMPORT",
                     "Directory import '" + path + "' is not supported resolving ES modules" + ImportedFrom(referrer));
    return nullptr;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (errno == ENOENT || errno == ENOTDIR) {
      ThrowLoaderError(isolate, v8::Exception::Error, "ERR_MODULE_NOT_FOUND",
                       "Cannot find module '" + path + "'" + ImportedFrom(referrer));
    } else {
      ThrowUvError(isolate, uv_translate_sys_error(errno), "open", path.c_str());
    }
    return nullptr;
  }
  std::stringstream source;
  source << file.rdbuf();
  return AddRecord(isolate, context, path, format, source.str());
}

// Where `specifier` imported from `referrer_path` leads: a resolver's answer, else the import map's, else a
// relative/absolute path or file:// URL, else the built-in `corojs`. Throws for a bare name nothing maps.
bool Resolve(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& specifier,
             const std::string& referrer_path, ResolverAnswer* answer) {
  std::string base_url = referrer_path.empty() ? "" : FileUrl(referrer_path);
  if (!AskResolvers(isolate, context, specifier, base_url, answer)) return false;
  if (answer->kind != ResolverAnswer::Kind::kNone) return true;
  answer->kind = ResolverAnswer::Kind::kLocation;
  if (!import_map.Resolve(isolate, specifier, base_url, &answer->url)) return false;
  if (answer->url.empty()) answer->url = specifier == kBuiltinModule ? specifier : ResolveUrlLike(specifier, base_url);
  if (!answer->url.empty()) return true;
  ThrowLoaderError(isolate, v8::Exception::Error, "ERR_MODULE_NOT_FOUND",
                   "Cannot find package '" + specifier + "'" + ImportedFrom(referrer_path) +
                       " (map it in an import map, or import a relative or absolute path, a file:// URL or 'corojs')");
  return false;
}

// HostLoadImportedModule for one request: resolves the specifier, checks the attributes against the target's
// format and loads it. Throws (and returns null) on any failure.
ModuleRecord* LoadRequest(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& specifier,
                          const ImportAttributes& attributes, const std::string& referrer_path) {
  ResolverAnswer answer;
  if (!Resolve(isolate, context, specifier, referrer_path, &answer)) return nullptr;
  if (answer.url == kBuiltinModule) {
    if (!CheckImportAttributes(isolate, answer.url, ModuleFormat::kBuiltin, attributes)) return nullptr;
    return BuiltinRecord(isolate);
  }
  std::string path = PathOfUrl(answer.url);
  if (path.empty()) {
    ThrowLoaderError(isolate, v8::Exception::Error, "ERR_UNSUPPORTED_ESM_URL_SCHEME",
                     "Only file: URLs can be loaded; '" + specifier + "'" + ImportedFrom(referrer_path) +
                         " resolved to " + answer.url);
    return nullptr;
  }
  ModuleFormat format;
  if (!FormatOfPath(isolate, path, &format) || !CheckImportAttributes(isolate, path, format, attributes)) {
    return nullptr;
  }
  if (answer.kind == ResolverAnswer::Kind::kSource) {
    // A loaded extension: cached by its URL, so it is evaluated once however often it is served.
    auto found = records_by_path.find(path);
    return found != records_by_path.end() ? found->second.get()
                                          : AddRecord(isolate, context, path, format, answer.source);
  }
  return LoadFile(isolate, context, path, format, referrer_path);
}

// Loads every module `root` depends on, depth first in source order (so the first error in that order is the
// one reported), and records each request's target for linking. `graph` receives the records reached.
bool LoadGraph(v8::Isolate* isolate, v8::Local<v8::Context> context, ModuleRecord* root,
               std::vector<ModuleRecord*>* graph) {
  struct Frame {
    ModuleRecord* record;
    int next_request;
  };
  std::set<ModuleRecord*> seen = {root};
  std::vector<Frame> stack = {{root, 0}};
  graph->push_back(root);
  while (!stack.empty()) {
    ModuleRecord* record = stack.back().record;
    v8::Local<v8::Module> module = record->module.Get(isolate);
    if (!module->IsSourceTextModule()) {
      stack.pop_back();
      continue;
    }
    v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
    if (stack.back().next_request >= requests->Length()) {
      stack.pop_back();
      continue;
    }
    v8::Local<v8::ModuleRequest> request = requests->Get(context, stack.back().next_request++).As<v8::ModuleRequest>();
    std::string specifier = ToUtf8(isolate, request->GetSpecifier());
    ImportAttributes attributes = ReadImportAttributes(context, request->GetImportAssertions(), 3);
    // A request resolved before keeps its target (a resolver is not asked twice for one module's import).
    auto known = record->requests.find(specifier);
    ModuleRecord* target = known != record->requests.end() ? known->second : nullptr;
    if (target != nullptr && !CheckImportAttributes(isolate, target->path, target->format, attributes)) return false;
    if (target == nullptr) {
      target = LoadRequest(isolate, context, specifier, attributes, record->path);
      if (target == nullptr) return false;
      record->requests[specifier] = target;
    }
    if (seen.insert(target).second) {
      graph->push_back(target);
      stack.push_back({target, 0});
    }
  }
  return true;
}

// V8's link callback: every request was loaded by LoadGraph, so this only looks the target up.
v8::MaybeLocal<v8::Module> ResolveLoaded(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                         v8::Local<v8::FixedArray> import_assertions, v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleRecord* record = RecordOf(isolate, referrer);
  std::string spec = ToUtf8(isolate, specifier);
  auto target = record ? record->requests.find(spec) : decltype(record->requests)::iterator();
  if (record == nullptr || target == record->requests.end()) {
    ThrowLoaderError(isolate, v8::Exception::Error, "ERR_MODULE_NOT_FOUND",
                     "Module '" + spec + "' was not loaded before linking");
    return {};
  }
  return target->second->module.Get(isolate);
}

// An import() waiting for its turn: loaded, linked and evaluated in a later job, never inside V8's callback.
struct DynamicImport {
  std::string specifier;
  ImportAttributes attributes;
  std::string referrer_path;
  v8::Global<v8::Promise::Resolver> resolver;
};

// Imports whose graph holds a module that is evaluating (its code is on a fiber's stack, blocked or below
// us): V8 cannot evaluate such a graph again until that evaluation returns.
std::vector<DynamicImport*> waiting_imports;

void ContinueDynamicImport(void* data);

v8::MaybeLocal<v8::Value> Evaluate(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  v8::MaybeLocal<v8::Value> result = module->Evaluate(context);
  std::vector<DynamicImport*> retry;
  retry.swap(waiting_imports);
  for (DynamicImport* job : retry) context->GetIsolate()->EnqueueMicrotask(ContinueDynamicImport, job);
  return result;
}

// V8 10.2 evaluates an evaluated module's cycle root without checking whether that root errored, and fails a
// CHECK when it has (test262 import-fulfilled-member-of-errored-cycle; Node 18 crashes there too). A module
// that finished while another member of its graph errored can only be in that member's cycle (an errored
// dependency outside it would have errored the module too), so the specification's answer, the cycle
// root's error, is the error every errored member of the graph carries. Empty when nothing errored.
v8::Local<v8::Value> CycleError(v8::Isolate* isolate, v8::Local<v8::Module> module,
                                const std::vector<ModuleRecord*>& graph) {
  if (module->GetStatus() != v8::Module::kEvaluated) return {};
  for (ModuleRecord* record : graph) {
    v8::Local<v8::Module> member = record->module.Get(isolate);
    if (member->GetStatus() == v8::Module::kErrored) return member->GetException();
  }
  return {};
}

bool AnyEvaluating(v8::Isolate* isolate, const std::vector<ModuleRecord*>& graph) {
  for (ModuleRecord* record : graph) {
    if (record->module.Get(isolate)->GetStatus() == v8::Module::kEvaluating) return true;
  }
  return false;
}

// data = [resolver, namespace]: the import settles with the namespace once evaluation (and any TLA) is done.
void ResolveWithNamespace(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> resolver;
  v8::Local<v8::Value> name_space;
  if (!data->Get(context, 0).ToLocal(&resolver) || !data->Get(context, 1).ToLocal(&name_space)) return;
  resolver.As<v8::Promise::Resolver>()->Resolve(context, name_space).IsJust();
}

void RejectImport(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  info.Data().As<v8::Promise::Resolver>()->Reject(context, info[0]).IsJust();
}

void ContinueDynamicImport(void* data) {
  std::unique_ptr<DynamicImport> job(static_cast<DynamicImport*>(data));
  v8::Isolate* isolate = GetIsolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = GetContext();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Promise::Resolver> resolver = job->resolver.Get(isolate);
  v8::TryCatch try_catch(isolate);
  std::vector<ModuleRecord*> graph;
  ModuleRecord* record = LoadRequest(isolate, context, job->specifier, job->attributes, job->referrer_path);
  if (record != nullptr && LoadGraph(isolate, context, record, &graph)) {
    if (AnyEvaluating(isolate, graph)) {
      waiting_imports.push_back(job.release());
      return;
    }
    v8::Local<v8::Module> module = record->module.Get(isolate);
    v8::Local<v8::Value> cycle_error = CycleError(isolate, module, graph);
    if (!cycle_error.IsEmpty()) {
      resolver->Reject(context, cycle_error).IsJust();
      return;
    }
    v8::Local<v8::Value> evaluation;
    if (module->InstantiateModule(context, ResolveLoaded).IsJust() && Evaluate(context, module).ToLocal(&evaluation)) {
      // Then() gives V8's evaluation promise a handler, so a rejection the importer handles is never
      // reported as unhandled.
      v8::Local<v8::Value> pair[] = {resolver, module->GetModuleNamespace()};
      v8::Local<v8::Function> on_fulfilled;
      v8::Local<v8::Function> on_rejected;
      if (v8::Function::New(context, ResolveWithNamespace, v8::Array::New(isolate, pair, 2)).ToLocal(&on_fulfilled) &&
          v8::Function::New(context, RejectImport, resolver).ToLocal(&on_rejected)) {
        evaluation.As<v8::Promise>()->Then(context, on_fulfilled, on_rejected).IsEmpty();
      }
    }
  }
  if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    v8::Local<v8::Value> error = try_catch.Exception();
    try_catch.Reset();  // an error the loader threw is still scheduled: cancel it, or the next V8 call fails
    resolver->Reject(context, error).IsJust();
  }
}

v8::MaybeLocal<v8::Promise> ImportDynamically(v8::Local<v8::Context> context, v8::Local<v8::Data> host_options,
                                              v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier,
                                              v8::Local<v8::FixedArray> import_assertions) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  auto job = std::make_unique<DynamicImport>();
  job->specifier = ToUtf8(isolate, specifier);
  job->attributes = ReadImportAttributes(context, import_assertions, 2);
  std::string name = resource_name->IsString() ? ToUtf8(isolate, resource_name) : "";
  // Code without a file behind it (stdlib, Function()) imports relative to the working directory.
  job->referrer_path = !name.empty() && name[0] == '/' ? name : AbsolutePath("[eval]");
  job->resolver.Reset(isolate, resolver);
  isolate->EnqueueMicrotask(ContinueDynamicImport, job.release());
  return resolver->GetPromise();
}

void InitializeImportMeta(v8::Local<v8::Context> context, v8::Local<v8::Module> module, v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleRecord* record = RecordOf(isolate, module);
  std::string path = record ? record->path : "";
  meta->Set(context, NewString(isolate, "url"), NewString(isolate, "file://" + path)).Check();
  meta->Set(context, NewString(isolate, "filename"), NewString(isolate, path)).Check();
  meta->Set(context, NewString(isolate, "dirname"), NewString(isolate, Dirname(path))).Check();
  DefineImportMetaResolver(context, meta);
  if (record != nullptr && record->format == ModuleFormat::kWasm) DefineWasmModule(context, record, meta);
}

// The import map: --import-map=FILE, else corojs.importmap.json beside the entry module if there is one.
bool LoadImportMap(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& entry_path) {
  std::string path = GetOptions().import_map;
  if (path.empty()) {
    struct stat info;
    path = Dirname(entry_path) + "/corojs.importmap.json";
    if (stat(path.c_str(), &info) != 0) return true;
  }
  return import_map.Load(isolate, context, AbsolutePath(path));
}

// --loader=FILE: evaluates that module (and its top-level await) before the entry module and installs its
// exported `resolver`, which then sees every import, the entry module's own included.
bool RunLoader(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  const std::string& loader = GetOptions().loader;
  if (loader.empty()) return true;
  std::string path = AbsolutePath(loader);
  ModuleFormat format;
  if (!FormatOfPath(isolate, path, &format)) return false;
  ModuleRecord* record = LoadFile(isolate, context, path, format, "");
  std::vector<ModuleRecord*> graph;
  v8::Local<v8::Value> evaluation;
  if (record == nullptr || !LoadGraph(isolate, context, record, &graph) ||
      record->module.Get(isolate)->InstantiateModule(context, ResolveLoaded).IsNothing() ||
      !Evaluate(context, record->module.Get(isolate)).ToLocal(&evaluation)) {
    return false;
  }
  v8::Local<v8::Promise> done = evaluation.As<v8::Promise>();
  AwaitPromise(isolate, done);
  if (done->State() == v8::Promise::kRejected) {
    isolate->ThrowException(done->Result());
    return false;
  }
  v8::Local<v8::Value> resolver;
  v8::Local<v8::Object> exports = record->module.Get(isolate)->GetModuleNamespace().As<v8::Object>();
  if (!exports->Get(context, NewString(isolate, "resolver")).ToLocal(&resolver)) return false;
  if (!resolver->IsFunction()) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_INVALID_LOADER",
                     "The loader " + path + " must export a function named 'resolver'");
    return false;
  }
  AddResolver(isolate, resolver.As<v8::Function>());
  return true;
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
  std::string entry = AbsolutePath(path);
  ModuleRecord* record = nullptr;
  if (LoadImportMap(isolate, context, entry) && RunLoader(isolate, context)) {
    // The entry module is JavaScript whatever its extension (a script named `tool` or `server.js`).
    record = LoadFile(isolate, context, entry, ModuleFormat::kJavaScript, "");
  }
  std::vector<ModuleRecord*> graph;
  v8::Local<v8::Value> evaluation;
  if (record == nullptr || !LoadGraph(isolate, context, record, &graph) ||
      record->module.Get(isolate)->InstantiateModule(context, ResolveLoaded).IsNothing() ||
      !Evaluate(context, record->module.Get(isolate)).ToLocal(&evaluation)) {
    if (try_catch.HasTerminated()) {
      *evaluation_out = v8::Undefined(isolate);
      return true;
    }
    v8::Local<v8::Value> error = try_catch.Exception();
    v8::Local<v8::Message> message = try_catch.Message();
    try_catch.Reset();  // an error the loader threw is still scheduled: cancel it, or the next V8 call fails
    ReportValue(isolate, error, message);
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
