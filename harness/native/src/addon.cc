// N-API bindings of the lab's native parts: switch-ladder rungs and the echo load generator.
#include <napi.h>

#include "echo_load.h"
#include "switch_ladder.h"

namespace {

Napi::Value RawUcontext(const Napi::CallbackInfo& info) {
  uint64_t round_trips = info[0].As<Napi::Number>().Int64Value();
  return Napi::Number::New(info.Env(), corojs::lab::RawUcontextSwitchNs(round_trips));
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

// runEchoLoad({ host, port, connections, messageSize, warmupS, durationS, open, ratePerS }) -> result object.
Napi::Value EchoLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  corojs::lab::EchoLoadOptions options;
  options.host = o.Get("host").As<Napi::String>().Utf8Value();
  options.port = o.Get("port").As<Napi::Number>().Int32Value();
  options.connections = o.Get("connections").As<Napi::Number>().Int32Value();
  options.message_size = o.Get("messageSize").As<Napi::Number>().Int64Value();
  options.warmup_s = o.Get("warmupS").As<Napi::Number>().DoubleValue();
  options.duration_s = o.Get("durationS").As<Napi::Number>().DoubleValue();
  options.open_loop = o.Get("open").As<Napi::Boolean>().Value();
  options.rate_per_s = o.Get("ratePerS").As<Napi::Number>().DoubleValue();
  corojs::lab::EchoLoadResult r = corojs::lab::RunEchoLoad(options);
  Napi::Object result = Napi::Object::New(env);
  result.Set("completed", Napi::Number::New(env, r.completed));
  result.Set("errors", Napi::Number::New(env, r.errors));
  result.Set("mismatches", Napi::Number::New(env, r.mismatches));
  result.Set("firstError", Napi::String::New(env, r.first_error));
  result.Set("elapsedS", Napi::Number::New(env, r.elapsed_s));
  result.Set("cpuS", Napi::Number::New(env, r.cpu_s));
  result.Set("correctedNs", ToArray(env, r.corrected_ns));
  result.Set("uncorrectedNs", ToArray(env, r.uncorrected_ns));
  result.Set("lagNs", ToArray(env, r.lag_ns));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("rawUcontextSwitchNs", Napi::Function::New(env, RawUcontext));
  exports.Set("threadHandoffSwitchNs", Napi::Function::New(env, ThreadHandoff));
  exports.Set("runEchoLoad", Napi::Function::New(env, EchoLoad));
  return exports;
}

}  // namespace

NODE_API_MODULE(corojs_lab, Init)
