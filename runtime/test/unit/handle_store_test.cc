// Unit tests of the HandleStore (spec 2.3): ids never reused, typed lookup, close on owner death.
#include <gtest/gtest.h>

#include <memory>

#include "handles/handle_store.h"

using corojs::BaseHandle;
using corojs::HandleKind;
using corojs::HandleStore;

namespace {

class FakeFile : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kFile;
  explicit FakeFile(int* closes) : closes_(closes) {}
  HandleKind kind() const override { return kKind; }
  void Close() override { ++*closes_; }

 private:
  int* closes_;
};

class FakeSocket : public BaseHandle {
 public:
  static constexpr HandleKind kKind = HandleKind::kTcpSocket;
  HandleKind kind() const override { return kKind; }
  void Close() override {}
};

}  // namespace

TEST(HandleStore, IdsAreUniqueAndNeverReused) {
  int closes = 0;
  uint64_t a = HandleStore::Add(std::make_shared<FakeFile>(&closes), 0);
  ASSERT_NE(HandleStore::Remove(a), nullptr);
  uint64_t b = HandleStore::Add(std::make_shared<FakeFile>(&closes), 0);
  EXPECT_NE(a, b);
  EXPECT_EQ(HandleStore::Find(a), nullptr);
  HandleStore::Remove(b);
}

TEST(HandleStore, TypedLookupRejectsTheWrongKind) {
  int closes = 0;
  uint64_t file = HandleStore::Add(std::make_shared<FakeFile>(&closes), 0);
  uint64_t socket = HandleStore::Add(std::make_shared<FakeSocket>(), 0);
  EXPECT_NE(HandleStore::FindAs<FakeFile>(file), nullptr);
  EXPECT_EQ(HandleStore::FindAs<FakeSocket>(file), nullptr);
  EXPECT_EQ(HandleStore::FindAs<FakeFile>(socket), nullptr);
  EXPECT_EQ(HandleStore::FindAs<FakeFile>(999999), nullptr);
  HandleStore::Remove(file);
  HandleStore::Remove(socket);
}

TEST(HandleStore, RemoveKeepsTheObjectAliveForHoldersUntilTheyLetGo) {
  int closes = 0;
  uint64_t id = HandleStore::Add(std::make_shared<FakeFile>(&closes), 0);
  std::shared_ptr<BaseHandle> held = HandleStore::Find(id);
  std::weak_ptr<BaseHandle> watch = held;
  HandleStore::Remove(id);
  EXPECT_FALSE(watch.expired());  // a fiber blocked on it still holds it
  held.reset();
  EXPECT_TRUE(watch.expired());
}

TEST(HandleStore, ClosesEverythingADeadFiberOwned) {
  int closes = 0;
  size_t before = HandleStore::Size();
  uint64_t mine1 = HandleStore::Add(std::make_shared<FakeFile>(&closes), 7);
  uint64_t mine2 = HandleStore::Add(std::make_shared<FakeFile>(&closes), 7);
  uint64_t other = HandleStore::Add(std::make_shared<FakeFile>(&closes), 8);
  HandleStore::CloseOwnedBy(7);
  EXPECT_EQ(closes, 2);
  EXPECT_EQ(HandleStore::Find(mine1), nullptr);
  EXPECT_EQ(HandleStore::Find(mine2), nullptr);
  EXPECT_NE(HandleStore::Find(other), nullptr);
  EXPECT_TRUE(HandleStore::Transfer(other, 7));
  HandleStore::CloseOwnedBy(7);
  EXPECT_EQ(closes, 3);
  EXPECT_EQ(HandleStore::Size(), before);
  EXPECT_FALSE(HandleStore::Transfer(other, 1));
}

TEST(HandleStore, CountsByKind) {
  int closes = 0;
  size_t files = HandleStore::SizeOf(HandleKind::kFile);
  uint64_t id = HandleStore::Add(std::make_shared<FakeFile>(&closes), 0);
  EXPECT_EQ(HandleStore::SizeOf(HandleKind::kFile), files + 1);
  HandleStore::Remove(id);
  EXPECT_EQ(HandleStore::SizeOf(HandleKind::kFile), files);
}
