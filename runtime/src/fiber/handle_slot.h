// Inside runtime/src/fiber/ only: each same-thread fiber's first V8 handle-scope block lives on its own stack's
// top page (issue 12: memory per idle fiber).
//
// Why: a parked fiber keeps two pages resident that are each almost empty: the top page of its stack (a
// couple of KiB of frames) and the first page of the handle-scope block V8 allocates for its thread state
// (8,176 bytes, a few handles used). Placing the block's start just above the stack's first frame puts both
// on one page; the rest of the block sits in the two pages above, untouched unless a fiber needs that many
// handles.
//
// Why it is safe: V8 allocates that block in `HandleScope::Extend` (the only caller we serve: others, such as
// persistent handles handed to compiler threads, may outlive a fiber) for the thread state of the fiber that
// runs, uses it only while that fiber's state is live, and frees it, with the spare it keeps, when the
// fiber's job ends and its top-level `v8::Locker` frees the thread's resources: before the fiber can be
// parked, reused or unmapped. A fiber destroyed with its slot still taken is not unmapped (a leak, never a
// dangling block).
#pragma once

#include <cstddef>
#include <string>

#include "fiber/backend.h"

namespace corojs::fiber {

// Mapped above a same-thread fiber's stack for the rest of the block (GiveStack's `top_reserve`).
constexpr size_t kHandleSlotReserve = 8192;

// Finds V8's `HandleScope::Extend` in libnode and remembers the calling (JS) thread; false with the reason if
// not found, and then every block comes from the heap as before.
bool LocateHandleScopeExtend(std::string* why_not);

// The stack top for `fiber` (whose stack has kHandleSlotReserve above it): its slot starts there.
char* CarveHandleSlot(Fiber* fiber);
// Forgets the slot of a fiber about to be destroyed; false if V8 still holds the block (keep the mapping).
bool ReleaseHandleSlot(Fiber* fiber);

// For operator new[] / delete[] (handle_block_pool.cc): the running fiber's free slot for a block of `bytes`
// requested from `caller`, or nullptr; and whether `block` was a slot (now free again).
void* TakeHandleSlot(size_t bytes, const void* caller);
bool ReturnHandleSlot(void* block);

}  // namespace corojs::fiber
