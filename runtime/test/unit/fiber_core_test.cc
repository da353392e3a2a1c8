// Unit tests of the V8-free fiber core (fiber.h) and its stacks (stack.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fiber/fiber.h"
#include "fiber/stack.h"

using corojs::FiberStack;
using corojs::core::Fiber;

TEST(FiberCore, RunsBodyUntilFirstYieldThenResumesWhereItLeftOff) {
  std::vector<std::string> trace;
  Fiber fiber([&] {
    trace.push_back("a");
    Fiber::Yield();
    trace.push_back("b");
  });
  EXPECT_TRUE(fiber.Resume());
  EXPECT_EQ(trace, (std::vector<std::string>{"a"}));
  EXPECT_FALSE(fiber.finished());
  EXPECT_TRUE(fiber.Resume());
  EXPECT_EQ(trace, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(fiber.finished());
  EXPECT_FALSE(fiber.Resume());  // a finished fiber cannot be resumed
}

TEST(FiberCore, InterleavesManyFibersOutOfOrder) {
  constexpr int kFibers = 100;
  std::vector<int> progress(kFibers, 0);
  std::vector<std::unique_ptr<Fiber>> fibers;
  for (int i = 0; i < kFibers; i++) {
    fibers.push_back(std::make_unique<Fiber>([&progress, i] {
      for (int step = 0; step < 10; step++) {
        progress[i]++;
        Fiber::Yield();
      }
    }));
  }
  // Resume in a shuffled, non-LIFO order until all finish.
  for (int round = 0; round < 11; round++) {
    for (int k = 0; k < kFibers; k++) fibers[(k * 37 + round) % kFibers]->Resume();
  }
  for (int i = 0; i < kFibers; i++) {
    EXPECT_EQ(progress[i], 10);
    EXPECT_TRUE(fibers[i]->finished());
  }
}

TEST(FiberCore, CurrentIsTheRunningFiberAndNullOutside) {
  EXPECT_EQ(Fiber::Current(), nullptr);
  Fiber* seen = nullptr;
  Fiber fiber([&] { seen = Fiber::Current(); });
  fiber.Resume();
  EXPECT_EQ(seen, &fiber);
  EXPECT_EQ(Fiber::Current(), nullptr);
  Fiber::Yield();  // outside any fiber: a no-op, not a crash
}

TEST(FiberCore, NestedFibersReturnToTheirResumer) {
  std::string trace;
  Fiber inner([&] {
    trace += "i1";
    Fiber::Yield();
    trace += "i2";
  });
  Fiber outer([&] {
    trace += "o1";
    inner.Resume();
    trace += "o2";
    Fiber::Yield();
    inner.Resume();
    trace += "o3";
  });
  outer.Resume();
  EXPECT_EQ(trace, "o1i1o2");
  outer.Resume();
  EXPECT_EQ(trace, "o1i1o2i2o3");
}

TEST(FiberCore, DeepRecursionFitsInTheOneMebibyteStack) {
  std::function<int(int)> depth = [&](int n) -> int {
    volatile char pad[64];
    pad[0] = static_cast<char>(n);
    return n == 0 ? pad[0] : 1 + depth(n - 1);
  };
  int result = -1;
  Fiber fiber([&] { result = depth(2000); });
  fiber.Resume();
  EXPECT_EQ(result, 2000);
}

TEST(FiberStack, IsPageRoundedAndResidentOnlyWhereTouched) {
  FiberStack stack(1 << 20);
  EXPECT_EQ(stack.size(), 1u << 20);
  EXPECT_EQ(stack.size() % corojs::PageSize(), 0u);
  size_t before = stack.ResidentBytes();
  EXPECT_LT(before, 64u * 1024);
  char* low = static_cast<char*>(stack.low());
  for (size_t i = 0; i < 16; i++) low[i * corojs::PageSize()] = 1;
  EXPECT_GE(stack.ResidentBytes(), 16 * corojs::PageSize());
  stack.Release(low + stack.size());
  EXPECT_LT(stack.ResidentBytes(), 16 * corojs::PageSize());
}

TEST(FiberStack, GuardPageFaultsOnOverflow) {
  FiberStack stack(64 * 1024);
  char* guard = static_cast<char*>(stack.low()) - 1;
  EXPECT_DEATH({ *reinterpret_cast<volatile char*>(guard) = 1; }, "");
}
