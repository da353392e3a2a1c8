// Placeholder until the dns capability lands (issue 3): registers no primordials yet.
#include "kernel/binding.h"

namespace corojs {

void InitDnsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {}

}  // namespace corojs
