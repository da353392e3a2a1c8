// The native rungs of the switch-cost ladder: nanoseconds per one-way switch.
#pragma once

#include <cstdint>

namespace corojs::lab {

// Resume/Yield ping-pong with the V8-free ucontext fiber core (runtime/src/fiber/fiber.h).
double RawUcontextSwitchNs(uint64_t round_trips);
// The same ping-pong with Boost.Context's fcontext (the runtime's default backend's switch): no signal mask
// to save, so no system call per switch.
double RawFcontextSwitchNs(uint64_t round_trips);
// Two OS threads handing a baton back and forth with POSIX semaphores, both pinned to `cpu` (-1: unpinned).
double ThreadHandoffSwitchNs(uint64_t round_trips, int cpu);

}  // namespace corojs::lab
