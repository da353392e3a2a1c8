// N-API bindings of the lab's native parts: switch-ladder rungs and the load generator.
#include <napi.h>

#include "net_load.h"
#include "switch_ladder.h"

namespace {

Napi::Value RawUcontext(const Napi::CallbackInfo& info) {
  uint64_t round_trips = info[0].As<Napi::Number>().Int64Value();
  return Napi::Number::New(info.Env(), corojs::lab::RawUcontextSwitchNs(round_trips));
}

Napi::Value RawFcontext(const Napi::CallbackInfo& info) {
  uint64_t round_trips = info[0].As<Napi::Number>().Int64Value();
  return Napi::Number::New(info.Env(), corojs::lab::RawFcontextSwitchNs(round_trips));
}

Napi::Value ThreadHandoff(const Napi::CallbackInfo& info) {
  uint64_t round_trips = info[0].As<Napi::Number>().Int64Value();
  int cpu = info.Length() > 1 ? info[1].As<Napi::Number>().Int32Value() : -1;
  return Napi::Number::New(info.Env(), corojs::lab::ThreadHandoffSwitchNs(round_trips, cpu));
}

Napi::Float64Array ToArray(Napi::Env env, const std::vector<double>& values) {
  auto array = Napi::Float64Array::New(env, values.size());
  std::copy(values.begin(), values.end(), array.Data());
  return array;
}

double NumberOr(const Napi::Object& o, const char* key, double fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

std::string StringOr(const Napi::Object& o, const char* key, const std::string& fallback) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}

// runLoad({ host, port, protocol, tls, caPem, servernames, handshake, connections, messageSize, httpBody,
//   warmupS, durationS, drainS, open, ratePerS, serverPid }) -> result object (see NativeLoadResult in
//   harness/src/native-addon.ts). Runs synchronously: the calling process is the load generator.
Napi::Value Load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "runLoad(options): options must be an object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  corojs::lab::LoadOptions options;
  options.host = StringOr(o, "host", options.host);
  options.port = static_cast<int>(NumberOr(o, "port", 0));
  options.protocol = StringOr(o, "protocol", options.protocol);
  options.tls = o.Get("tls").ToBoolean().Value();
  options.ca_pem = StringOr(o, "caPem", "");
  Napi::Value names = o.Get("servernames");
  if (names.IsArray()) {
    Napi::Array array = names.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) options.servernames.push_back(array.Get(i).ToString().Utf8Value());
  }
  options.handshake = o.Get("handshake").ToBoolean().Value();
  options.connections = static_cast<int>(NumberOr(o, "connections", 1));
  options.message_size = static_cast<size_t>(NumberOr(o, "messageSize", 64));
  options.http_body = StringOr(o, "httpBody", options.http_body);
  options.warmup_s = NumberOr(o, "warmupS", options.warmup_s);
  options.duration_s = NumberOr(o, "durationS", options.duration_s);
  options.drain_s = NumberOr(o, "drainS", options.drain_s);
  options.open_loop = o.Get("open").ToBoolean().Value();
  options.rate_per_s = NumberOr(o, "ratePerS", 0);
  options.server_pid = static_cast<int>(NumberOr(o, "serverPid", 0));
  if (options.port <= 0 || options.port > 65535 || options.connections < 1 || options.duration_s <= 0 ||
      (options.protocol != "echo" && options.protocol != "http")) {
    Napi::RangeError::New(env, "runLoad: needs a port, connections >= 1, durationS > 0 and protocol echo|http")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  corojs::lab::LoadResult r = corojs::lab::RunLoad(options);
  Napi::Object result = Napi::Object::New(env);
  result.Set("completed", Napi::Number::New(env, r.completed));
  result.Set("errors", Napi::Number::New(env, r.errors));
  result.Set("mismatches", Napi::Number::New(env, r.mismatches));
  result.Set("firstError", Napi::String::New(env, r.first_error));
  result.Set("scheduled", Napi::Number::New(env, r.scheduled));
  result.Set("unsent", Napi::Number::New(env, r.unsent));
  result.Set("elapsedS", Napi::Number::New(env, r.elapsed_s));
  result.Set("cpuS", Napi::Number::New(env, r.cpu_s));
  result.Set("serverCpuS", Napi::Number::New(env, r.server_cpu_s));
  result.Set("correctedNs", ToArray(env, r.corrected_ns));
  result.Set("uncorrectedNs", ToArray(env, r.uncorrected_ns));
  result.Set("lagNs", ToArray(env, r.lag_ns));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("rawUcontextSwitchNs", Napi::Function::New(env, RawUcontext));
  exports.Set("rawFcontextSwitchNs", Napi::Function::New(env, RawFcontext));
  exports.Set("threadHandoffSwitchNs", Napi::Function::New(env, ThreadHandoff));
  exports.Set("runLoad", Napi::Function::New(env, Load));
  return exports;
}

}  // namespace

NODE_API_MODULE(corojs_lab, Init)
