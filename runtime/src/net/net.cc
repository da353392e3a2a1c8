// Placeholder until the net capability lands (issue 3): registers no primordials yet.
#include "kernel/binding.h"

namespace corojs {

void InitNetBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {}

}  // namespace corojs
