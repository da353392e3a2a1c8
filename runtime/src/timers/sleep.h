// Blocking the calling fiber for a while on a libuv timer.
#pragma once

#include <cstdint>

namespace corojs {

// Blocks only the calling fiber for `ms` milliseconds (0 lets every runnable fiber and the loop run first).
void SleepFor(uint64_t ms);

}  // namespace corojs
