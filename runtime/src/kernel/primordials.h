// Installs the global __primordials object (spec 2.4), the only bridge between JS and the C++ kernel.
#pragma once

#include <v8.h>

namespace corojs {

void InstallPrimordials(v8::Isolate* isolate, v8::Local<v8::Context> context);

}  // namespace corojs
