// Resolvers (the spec's `import.meta.resolver`): JS functions `(specifier, base) => string | { source, url } |
// undefined` consulted before import maps for every import. One comes from `--loader=FILE` (its export
// `resolver`); any module may add one by assigning `import.meta.resolver = fn`. The newest is asked first;
// `undefined` passes the question on. They run in the importing fiber and may block.
#pragma once

#include <v8.h>

#include <string>

namespace corojs {

struct ResolverAnswer {
  enum class Kind { kNone, kLocation, kSource };
  Kind kind = Kind::kNone;
  std::string url;     // kLocation: file:// URL to load; kSource: the URL the module will carry
  std::string source;  // kSource: the module's text
};

// Asks the resolvers about `specifier` imported from `base_url`. Returns false after throwing: the resolver's
// own error wrapped as ERR_RESOLVER_FAILED naming the specifier (the original is its `cause`), or
// ERR_INVALID_RETURN_VALUE for an answer of the wrong shape.
bool AskResolvers(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& specifier,
                  const std::string& base_url, ResolverAnswer* answer);

// Adds `resolver` as the newest (asked first).
void AddResolver(v8::Isolate* isolate, v8::Local<v8::Function> resolver);

// Defines the `resolver` accessor on a module's import.meta: reading gives the newest resolver, assigning a
// function adds it for every import resolved afterwards.
void DefineImportMetaResolver(v8::Local<v8::Context> context, v8::Local<v8::Object> meta);

}  // namespace corojs
