// Switch-cost ladder rungs measured without V8: ucontext and fcontext fibers and a pinned semaphore thread
// handoff.
#include "switch_ladder.h"

#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <boost/context/detail/fcontext.hpp>

#include <chrono>
#include <thread>

#include "fiber/fiber.h"
#include "fiber/stack.h"

namespace corojs::lab {

namespace {
double NsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
}

void PinTo(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}
}  // namespace

double RawUcontextSwitchNs(uint64_t round_trips) {
  bool stop = false;
  core::Fiber fiber([&stop] {
    while (!stop) core::Fiber::Yield();
  });
  fiber.Resume();  // warm: the first resume enters the trampoline
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < round_trips; i++) fiber.Resume();
  double ns = NsSince(start);
  stop = true;
  fiber.Resume();
  return ns / (2.0 * round_trips);  // a round trip is two one-way switches
}

double RawFcontextSwitchNs(uint64_t round_trips) {
  namespace ctx = boost::context::detail;
  FiberStack stack(64 * 1024);
  // The partner jumps straight back to whoever resumed it, forever: the measurement abandons it mid-loop
  // (nothing on its stack needs destroying) and the stack is unmapped with `stack`.
  auto partner = [](ctx::transfer_t from) {
    for (;;) from = ctx::jump_fcontext(from.fctx, nullptr);
  };
  ctx::fcontext_t entry = ctx::make_fcontext(static_cast<char*>(stack.low()) + stack.size(), stack.size(), partner);
  ctx::transfer_t back = ctx::jump_fcontext(entry, nullptr);  // warm: the first jump enters the partner
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < round_trips; i++) back = ctx::jump_fcontext(back.fctx, nullptr);
  return NsSince(start) / (2.0 * round_trips);  // a round trip is two one-way switches
}

double ThreadHandoffSwitchNs(uint64_t round_trips, int cpu) {
  sem_t ping, pong;
  sem_init(&ping, 0, 0);
  sem_init(&pong, 0, 0);
  std::thread partner([&] {
    PinTo(cpu);
    for (uint64_t i = 0; i <= round_trips; i++) {
      sem_wait(&ping);
      sem_post(&pong);
    }
  });
  cpu_set_t saved;
  pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved);
  PinTo(cpu);
  sem_post(&ping);  // warm-up round trip
  sem_wait(&pong);
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < round_trips; i++) {
    sem_post(&ping);
    sem_wait(&pong);
  }
  double ns = NsSince(start);
  partner.join();
  pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);
  sem_destroy(&ping);
  sem_destroy(&pong);
  return ns / (2.0 * round_trips);
}

}  // namespace corojs::lab
