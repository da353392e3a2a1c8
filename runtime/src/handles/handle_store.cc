// HandleStore: see handle_store.h. Only the fiber holding the isolate touches it, so it needs no lock.
#include "handles/handle_store.h"

namespace corojs {

namespace {
uint64_t next_id = 1;
}

const char* HandleKindName(HandleKind kind) {
  switch (kind) {
    case HandleKind::kFile: return "file";
    case HandleKind::kTcpServer: return "tcp server";
    case HandleKind::kTcpSocket: return "tcp socket";
    case HandleKind::kTlsContext: return "tls context";
    case HandleKind::kTlsSocket: return "tls socket";
  }
  return "unknown";
}

std::map<uint64_t, HandleStore::Entry>& HandleStore::entries() {
  static std::map<uint64_t, Entry> map;
  return map;
}

uint64_t HandleStore::Add(std::shared_ptr<BaseHandle> handle, uint64_t owner) {
  uint64_t id = next_id++;
  entries().emplace(id, Entry{std::move(handle), owner});
  return id;
}

std::shared_ptr<BaseHandle> HandleStore::Find(uint64_t id) {
  auto it = entries().find(id);
  return it == entries().end() ? nullptr : it->second.handle;
}

std::shared_ptr<BaseHandle> HandleStore::Remove(uint64_t id) {
  auto it = entries().find(id);
  if (it == entries().end()) return nullptr;
  std::shared_ptr<BaseHandle> handle = std::move(it->second.handle);
  entries().erase(it);
  return handle;
}

bool HandleStore::Transfer(uint64_t id, uint64_t owner) {
  auto it = entries().find(id);
  if (it == entries().end()) return false;
  it->second.owner = owner;
  return true;
}

void HandleStore::CloseOwnedBy(uint64_t owner) {
  std::vector<std::shared_ptr<BaseHandle>> doomed;
  for (auto it = entries().begin(); it != entries().end();) {
    if (it->second.owner == owner) {
      doomed.push_back(std::move(it->second.handle));
      it = entries().erase(it);
    } else {
      ++it;
    }
  }
  // Closed after the map is consistent: Close() may wake fibers that look handles up again.
  for (auto& handle : doomed) handle->Close();
}

size_t HandleStore::Size() { return entries().size(); }

size_t HandleStore::SizeOf(HandleKind kind) {
  size_t n = 0;
  for (auto& [id, entry] : entries()) n += entry.handle->kind() == kind;
  return n;
}

}  // namespace corojs
