// Module records and the formats a file can be imported as (JavaScript, JSON, WebAssembly, the built-in
// `corojs`): which format a path has, whether an import's attributes fit it (Node 18.20's rules), and
// compiling each one.
#pragma once

#include <v8.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace corojs {

enum class ModuleFormat { kJavaScript, kJson, kWasm, kBuiltin };

// One loaded module, kept for the life of the process (each file is evaluated once).
struct ModuleRecord {
  std::string path;  // absolute file path, or "corojs"
  ModuleFormat format = ModuleFormat::kJavaScript;
  v8::Global<v8::Module> module;
  // A JSON module's parsed value (its default export), or a wasm module's compiled WebAssembly.Module.
  v8::Global<v8::Value> value;
  // Each specifier this module imports, and the record it resolved to, filled while its graph loads.
  std::map<std::string, ModuleRecord*> requests;
};

// A JS value as UTF-8 text (empty if it cannot be converted).
std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value);

// Import attributes as (key, value) pairs, e.g. {"type", "json"}.
using ImportAttributes = std::vector<std::pair<std::string, std::string>>;

// Reads V8's attribute array: (key, value) pairs for import(), (key, value, offset) for static imports.
ImportAttributes ReadImportAttributes(v8::Local<v8::Context> context, v8::Local<v8::FixedArray> array, int entry_size);

// Throws an error shaped like Node's loader errors: `code` set, first stack line "TypeError [CODE]: ...".
void ThrowLoaderError(v8::Isolate* isolate, v8::Local<v8::Value> (*make)(v8::Local<v8::String>), const char* code,
                      const std::string& message);
v8::Local<v8::Object> MakeLoaderError(v8::Isolate* isolate, v8::Local<v8::Value> (*make)(v8::Local<v8::String>),
                                      const char* code, const std::string& message);

// The format of the file at `path`, from its extension; throws ERR_UNKNOWN_FILE_EXTENSION and returns false
// for an extension that is neither JavaScript (.js, .mjs, none), JSON nor WebAssembly (.wasm).
bool FormatOfPath(v8::Isolate* isolate, const std::string& path, ModuleFormat* format);

// Node 18.20's checks: only `type` is supported, JSON needs `type: 'json'`, JavaScript takes no type.
bool CheckImportAttributes(v8::Isolate* isolate, const std::string& path, ModuleFormat format,
                           const ImportAttributes& attributes);

// Compiles `source` as `record->format` into record->module; throws a SyntaxError naming the file, or
// WebAssembly.CompileError. A wasm file becomes a JavaScript module that imports each of the wasm module's
// import module names (as specifiers relative to the .wasm file), instantiates it with their exports and
// re-exports the instance's exports, as the WebAssembly/ES-module integration proposal has it.
bool CompileRecord(v8::Isolate* isolate, v8::Local<v8::Context> context, ModuleRecord* record,
                   const std::string& source);

// The wasm module a wasm record's wrapper instantiates (its import.meta.wasmModule, seen by no other code).
void DefineWasmModule(v8::Local<v8::Context> context, ModuleRecord* record, v8::Local<v8::Object> meta);

// The synthetic module `corojs`, whose named exports are the public API globals.
v8::Local<v8::Module> NewBuiltinModule(v8::Isolate* isolate);

// The record holding `module`, or null.
ModuleRecord* RecordOf(v8::Isolate* isolate, v8::Local<v8::Module> module);
// Registers `record` (its module set) for RecordOf.
void IndexRecord(v8::Isolate* isolate, ModuleRecord* record);

}  // namespace corojs
