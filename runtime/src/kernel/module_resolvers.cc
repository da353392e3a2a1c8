// Resolvers: see module_resolvers.h.
#include "kernel/module_resolvers.h"

#include <vector>

#include "kernel/args.h"
#include "kernel/errors.h"
#include "kernel/module_resolution.h"
#include "kernel/module_sources.h"

namespace corojs {

namespace {

std::vector<v8::Global<v8::Function>> resolvers;  // oldest first; asked from the back

std::string Describe(const std::string& specifier, const std::string& base_url) {
  return "'" + specifier + "'" + (base_url.empty() ? "" : " imported from " + base_url);
}

// The resolver's error as the import's: ERR_RESOLVER_FAILED naming the specifier, the original as `cause`.
void ThrowResolverFailed(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> cause,
                         const std::string& specifier, const std::string& base_url) {
  std::string reason = ToUtf8(isolate, cause);
  if (cause->IsObject()) {
    v8::Local<v8::Value> message;
    if (cause.As<v8::Object>()->Get(context, NewString(isolate, "message")).ToLocal(&message) && message->IsString()) {
      reason = ToUtf8(isolate, message);
    }
  }
  v8::Local<v8::Object> error =
      MakeLoaderError(isolate, v8::Exception::Error, "ERR_RESOLVER_FAILED",
                      "The resolver failed on " + Describe(specifier, base_url) + ": " + reason);
  error->Set(context, NewString(isolate, "cause"), cause).Check();
  isolate->ThrowException(error);
}

// Reads one answer: a location string, { source, url }, or undefined.
bool ReadAnswer(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Value> result,
                const std::string& specifier, const std::string& base_url, ResolverAnswer* answer) {
  auto invalid = [&]() {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_INVALID_RETURN_VALUE",
                     "A resolver must return a string, { source, url } or undefined for " +
                         Describe(specifier, base_url) + ", got " + ToUtf8(isolate, result->TypeOf(isolate)));
    return false;
  };
  if (result->IsUndefined()) return true;
  if (result->IsString()) {
    std::string location = ToUtf8(isolate, result);
    if (location.empty()) return invalid();
    answer->kind = ResolverAnswer::Kind::kLocation;
    // A plain name ("lib/x.mjs") is a path relative to base too; `corojs` stays the built-in module.
    std::string url = ResolveUrlLike(location, base_url);
    answer->url = location == "corojs" ? location : !url.empty() ? url : ResolveUrlLike("./" + location, base_url);
    return true;
  }
  if (!result->IsObject()) return invalid();
  v8::Local<v8::Value> source;
  v8::Local<v8::Value> url;
  if (!result.As<v8::Object>()->Get(context, NewString(isolate, "source")).ToLocal(&source) ||
      !result.As<v8::Object>()->Get(context, NewString(isolate, "url")).ToLocal(&url)) {
    return false;  // a throwing getter: its error is the import's
  }
  if (!source->IsString() || !url->IsString()) return invalid();
  std::string path = PathOfUrl(ToUtf8(isolate, url));
  if (path.empty()) {
    ThrowLoaderError(isolate, v8::Exception::TypeError, "ERR_INVALID_RETURN_VALUE",
                     "The url of a module a resolver returns must be an absolute path or a file:// URL, got '" +
                         ToUtf8(isolate, url) + "' for " + Describe(specifier, base_url));
    return false;
  }
  answer->kind = ResolverAnswer::Kind::kSource;
  answer->url = FileUrl(NormalizePath(path));
  answer->source = ToUtf8(isolate, source);
  return true;
}

void GetResolver(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!resolvers.empty()) info.GetReturnValue().Set(resolvers.back().Get(info.GetIsolate()));
}

void SetResolver(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!info[0]->IsFunction()) {
    ThrowTypeError(info.GetIsolate(), "import.meta.resolver must be a function");
    return;
  }
  AddResolver(info.GetIsolate(), info[0].As<v8::Function>());
}

}  // namespace

bool AskResolvers(v8::Isolate* isolate, v8::Local<v8::Context> context, const std::string& specifier,
                  const std::string& base_url, ResolverAnswer* answer) {
  answer->kind = ResolverAnswer::Kind::kNone;
  // A copy: a resolver may add another while it runs (or while it is blocked).
  std::vector<v8::Local<v8::Function>> chain;
  for (auto it = resolvers.rbegin(); it != resolvers.rend(); ++it) chain.push_back(it->Get(isolate));
  for (v8::Local<v8::Function> resolver : chain) {
    v8::Local<v8::Value> args[] = {NewString(isolate, specifier), base_url.empty()
                                                                      ? v8::Undefined(isolate).As<v8::Value>()
                                                                      : NewString(isolate, base_url).As<v8::Value>()};
    v8::Local<v8::Value> result;
    v8::Local<v8::Value> cause;
    {
      v8::TryCatch try_catch(isolate);
      if (!resolver->Call(context, v8::Undefined(isolate), 2, args).ToLocal(&result)) {
        if (try_catch.HasTerminated() || !try_catch.HasCaught()) {
          try_catch.ReThrow();
          return false;
        }
        cause = try_catch.Exception();
      }
    }
    if (!cause.IsEmpty()) {
      ThrowResolverFailed(isolate, context, cause, specifier, base_url);  // outside the TryCatch that caught it
      return false;
    }
    if (!ReadAnswer(isolate, context, result, specifier, base_url, answer)) return false;
    if (answer->kind != ResolverAnswer::Kind::kNone) return true;
  }
  return true;
}

void AddResolver(v8::Isolate* isolate, v8::Local<v8::Function> resolver) { resolvers.emplace_back(isolate, resolver); }

void DefineImportMetaResolver(v8::Local<v8::Context> context, v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Function> getter = v8::Function::New(context, GetResolver).ToLocalChecked();
  v8::Local<v8::Function> setter = v8::Function::New(context, SetResolver).ToLocalChecked();
  meta->SetAccessorProperty(NewString(isolate, "resolver"), getter, setter);
}

}  // namespace corojs
