// Module formats, import attributes and compilation: see module_sources.h.
#include "kernel/module_sources.h"

#include <cstring>
#include <map>
#include <unordered_map>

#include "kernel/args.h"

namespace corojs {

namespace {

const char* const kBuiltinExports[] = {"fs", "net", "tls", "dns", "Fiber", "console", "process"};

// Identity hash -> record; hashes can collide, so entries are checked against the module.
std::unordered_multimap<int, ModuleRecord*> records_by_hash;

std::string FileUrl(const std::string& path) { return "file://" + path; }

v8::MaybeLocal<v8::Value> ResolvedPromise(v8::Local<v8::Context> context) {
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  if (resolver->Resolve(context, v8::Undefined(context->GetIsolate())).IsNothing()) return {};
  return resolver->GetPromise();
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
  return ResolvedPromise(context);
}

v8::MaybeLocal<v8::Value> EvaluateJson(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleRecord* record = RecordOf(isolate, module);
  if (module->SetSyntheticModuleExport(isolate, NewString(isolate, "default"), record->value.Get(isolate))
          .IsNothing()) {
    return {};
  }
  return ResolvedPromise(context);
}

bool CompileJson(v8::Isolate* isolate, v8::Local<v8::Context> context, ModuleRecord* record,
                 const std::string& source) {
  v8::Local<v8::Value> value;
  std::string reason;
  {
    v8::TryCatch try_catch(isolate);
    if (!v8::JSON::Parse(context, NewString(isolate, source)).ToLocal(&value)) {
      if (try_catch.HasTerminated()) {
        try_catch.ReThrow();
        return false;
      }
      v8::Local<v8::Value> message;
      reason = "invalid JSON";
      if (try_catch.Exception()->IsObject() &&
          try_catch.Exception().As<v8::Object>()->Get(context, NewString(isolate, "message")).ToLocal(&message)) {
        reason = ToUtf8(isolate, message);
      }
    }
  }
  if (value.IsEmpty()) {
    // As Node: the parser's message prefixed with the file, so the error says which JSON is bad.
    isolate->ThrowException(v8::Exception::SyntaxError(NewString(isolate, record->path + ": " + reason)));
    return false;
  }
  record->value.Reset(isolate, value);
  std::vector<v8::Local<v8::String>> names = {NewString(isolate, "default")};
  record->module.Reset(
      isolate, v8::Module::CreateSyntheticModule(isolate, NewString(isolate, record->path), names, EvaluateJson));
  return true;
}

bool CompileSourceText(v8::Isolate* isolate, ModuleRecord* record, const std::string& source) {
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(isolate, source.data(), v8::NewStringType::kNormal, static_cast<int>(source.size()))
           .ToLocal(&text)) {
    ThrowLoaderError(isolate, v8::Exception::RangeError, "ERR_STRING_TOO_LONG",
                     "Module " + record->path + " is larger than the longest string V8 can hold");
    return false;
  }
  v8::ScriptOrigin origin(isolate, NewString(isolate, record->path), 0, 0, false, -1, v8::Local<v8::Value>(), false,
                          false, true);
  v8::ScriptCompiler::Source compiler_source(text, origin);
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(isolate, &compiler_source).ToLocal(&module)) return false;
  record->module.Reset(isolate, module);
  return true;
}

// Calls WebAssembly.Module[name](module): the module's imports or exports descriptors.
bool WasmDescriptors(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Object> constructor,
                     const char* name, v8::Local<v8::Value> module, v8::Local<v8::Array>* out) {
  v8::Local<v8::Value> function;
  v8::Local<v8::Value> result;
  if (!constructor->Get(context, NewString(isolate, name)).ToLocal(&function) || !function->IsFunction() ||
      !function.As<v8::Function>()->Call(context, constructor, 1, &module).ToLocal(&result) || !result->IsArray()) {
    return false;
  }
  *out = result.As<v8::Array>();
  return true;
}

std::string Quoted(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> text) {
  v8::Local<v8::String> json;
  return v8::JSON::Stringify(context, text).ToLocal(&json) ? ToUtf8(isolate, json) : "\"\"";
}

std::string Field(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> descriptor,
                  const char* key) {
  v8::Local<v8::Value> value;
  if (!descriptor->IsObject() || !descriptor.As<v8::Object>()->Get(context, NewString(isolate, key)).ToLocal(&value)) {
    return "\"\"";
  }
  return Quoted(isolate, context, value);
}

// Compiles the wasm bytes (kept in record->value) and writes the JavaScript module that links them.
bool CompileWasm(v8::Isolate* isolate, v8::Local<v8::Context> context, ModuleRecord* record, const std::string& bytes,
                 std::string* wrapper) {
  v8::Local<v8::Value> webassembly;
  v8::Local<v8::Value> constructor;
  if (!context->Global()->Get(context, NewString(isolate, "WebAssembly")).ToLocal(&webassembly) ||
      !webassembly->IsObject() ||
      !webassembly.As<v8::Object>()->Get(context, NewString(isolate, "Module")).ToLocal(&constructor) ||
      !constructor->IsFunction()) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_WASM_UNAVAILABLE",
                     "Cannot load " + record->path + ": WebAssembly is not available");
    return false;
  }
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, bytes.size());
  if (!bytes.empty()) memcpy(buffer->GetBackingStore()->Data(), bytes.data(), bytes.size());
  v8::Local<v8::Value> argument = buffer;
  v8::Local<v8::Object> module;
  v8::Local<v8::Array> imports;
  v8::Local<v8::Array> exports;
  if (!constructor.As<v8::Function>()->NewInstance(context, 1, &argument).ToLocal(&module) ||
      !WasmDescriptors(isolate, context, constructor.As<v8::Object>(), "imports", module, &imports) ||
      !WasmDescriptors(isolate, context, constructor.As<v8::Object>(), "exports", module, &exports)) {
    return false;  // WebAssembly.CompileError for bytes that are not a valid module
  }
  record->value.Reset(isolate, module);
  // One namespace import per distinct module name; the import object reads each field from it.
  std::map<std::string, std::string> namespaces;  // quoted module name -> local name
  std::map<std::string, std::string> fields;      // quoted module name -> "field: ns[field], ..."
  std::string text;
  for (uint32_t i = 0; i < imports->Length(); i++) {
    v8::Local<v8::Value> descriptor = imports->Get(context, i).ToLocalChecked();
    std::string from = Field(isolate, context, descriptor, "module");
    std::string name = Field(isolate, context, descriptor, "name");
    if (namespaces.count(from) == 0) {
      namespaces[from] = "ns" + std::to_string(namespaces.size());
      text += "import * as " + namespaces[from] + " from " + from + ";\n";
    }
    fields[from] += name + ": " + namespaces[from] + "[" + name + "], ";
  }
  text += "const imports = {";
  for (const auto& [from, list] : fields) text += from + ": {" + list + "}, ";
  text += "};\nconst { exports } = new WebAssembly.Instance(import.meta.wasmModule, imports);\n";
  for (uint32_t i = 0; i < exports->Length(); i++) {
    std::string name = Field(isolate, context, exports->Get(context, i).ToLocalChecked(), "name");
    text += "const export" + std::to_string(i) + " = exports[" + name + "];\nexport { export" + std::to_string(i) +
            " as " + name + " };\n";
  }
  *wrapper = text;
  return true;
}

}  // namespace

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

ImportAttributes ReadImportAttributes(v8::Local<v8::Context> context, v8::Local<v8::FixedArray> array, int entry_size) {
  v8::Isolate* isolate = context->GetIsolate();
  ImportAttributes out;
  for (int i = 0; i + 1 < array->Length(); i += entry_size) {
    out.emplace_back(ToUtf8(isolate, array->Get(context, i).As<v8::Value>()),
                     ToUtf8(isolate, array->Get(context, i + 1).As<v8::Value>()));
  }
  return out;
}

void ThrowLoaderError(v8::Isolate* isolate, v8::Local<v8::Value> (*make)(v8::Local<v8::String>), const char* code,
                      const std::string& message) {
  isolate->ThrowException(MakeLoaderError(isolate, make, code, message));
}

v8::Local<v8::Object> MakeLoaderError(v8::Isolate* isolate, v8::Local<v8::Value> (*make)(v8::Local<v8::String>),
                                      const char* code, const std::string& message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> error = make(NewString(isolate, message)).As<v8::Object>();
  error->Set(context, NewString(isolate, "code"), NewString(isolate, code)).Check();
  // Errors made through the API carry no stack; Node's loader errors show "Name [CODE]: message".
  v8::Local<v8::Value> name;
  if (error->Get(context, NewString(isolate, "name")).ToLocal(&name)) {
    std::string header = ToUtf8(isolate, name) + " [" + code + "]: " + message;
    error->Set(context, NewString(isolate, "stack"), NewString(isolate, header)).Check();
  }
  return error;
}

bool FormatOfPath(v8::Isolate* isolate, const std::string& path, ModuleFormat* format) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  std::string extension = dot == std::string::npos || dot < slash ? "" : path.substr(dot);
  if (extension.empty() || extension == ".js" || extension == ".mjs") {
    *format = ModuleFormat::kJavaScript;
  } else if (extension == ".json") {
    *format = ModuleFormat::kJson;
  } else if (extension == ".wasm") {
    *format = ModuleFormat::kWasm;
  } else {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_UNKNOWN_FILE_EXTENSION",
                     "Unknown file extension \"" + extension + "\" for " + path);
    return false;
  }
  return true;
}

bool CheckImportAttributes(v8::Isolate* isolate, const std::string& path, ModuleFormat format,
                           const ImportAttributes& attributes) {
  const std::string* type = nullptr;
  for (const auto& [key, value] : attributes) {
    if (key == "type") {
      type = &value;
    } else {
      ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
                       "Import attribute \"" + key + "\" with value \"" + value + "\" is not supported");
      return false;
    }
  }
  bool is_json = format == ModuleFormat::kJson;
  if (type == nullptr && !is_json) return true;
  if (type == nullptr) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_IMPORT_ASSERTION_TYPE_MISSING",
                     "Module \"" + FileUrl(path) + "\" needs an import attribute of type \"json\"");
    return false;
  }
  if (*type == "json" && is_json) return true;
  if (*type != "json") {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED",
                     "Import attribute type \"" + *type + "\" is unsupported");
  } else {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_IMPORT_ASSERTION_TYPE_FAILED",
                     "Module \"" + FileUrl(path) + "\" is not of type \"" + *type + "\"");
  }
  return false;
}

bool CompileRecord(v8::Isolate* isolate, v8::Local<v8::Context> context, ModuleRecord* record,
                   const std::string& source) {
  if (record->format == ModuleFormat::kJson) return CompileJson(isolate, context, record, source);
  if (record->format == ModuleFormat::kWasm) {
    std::string wrapper;
    if (!CompileWasm(isolate, context, record, source, &wrapper)) return false;
    return CompileSourceText(isolate, record, wrapper);
  }
  return CompileSourceText(isolate, record, source);
}

void DefineWasmModule(v8::Local<v8::Context> context, ModuleRecord* record, v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  meta->Set(context, NewString(isolate, "wasmModule"), record->value.Get(isolate)).Check();
}

v8::Local<v8::Module> NewBuiltinModule(v8::Isolate* isolate) {
  std::vector<v8::Local<v8::String>> names;
  for (const char* name : kBuiltinExports) names.push_back(NewString(isolate, name));
  return v8::Module::CreateSyntheticModule(isolate, NewString(isolate, "corojs"), names, EvaluateBuiltin);
}

ModuleRecord* RecordOf(v8::Isolate* isolate, v8::Local<v8::Module> module) {
  auto range = records_by_hash.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second->module.Get(isolate) == module) return it->second;
  }
  return nullptr;
}

void IndexRecord(v8::Isolate* isolate, ModuleRecord* record) {
  records_by_hash.emplace(record->module.Get(isolate)->GetIdentityHash(), record);
}

}  // namespace corojs
