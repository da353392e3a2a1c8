// V8's handle-scope blocks, kept in a mapping of their own (handle_block_pool.cc says why).
#pragma once

#include <cstddef>

namespace corojs {

// Bytes of handle-scope blocks resident in RAM (0 under AddressSanitizer, where the pool is off).
size_t HandleBlocksResidentBytes();

}  // namespace corojs
