// Finds V8's thread identity in libnode (see v8_thread_identity.h) and swaps it.
#include "fiber/v8_thread_identity.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>

#include <cstring>
#include <vector>

namespace corojs::fiber {

namespace {

constexpr char kIsolateKey[] = "_ZN2v88internal7Isolate12isolate_key_E";
constexpr char kThreadDataKey[] = "_ZN2v88internal7Isolate28per_isolate_thread_data_key_E";
constexpr char kGetCurrentThreadId[] = "_ZN2v88internal8ThreadId18GetCurrentThreadIdEv";

struct TlsBlock {
  void* address_of_symbol = nullptr;  // any libnode symbol: picks libnode among the loaded objects
  char* data = nullptr;
  size_t size = 0;
};

// Fills `block` with the calling thread's copy of the TLS segment of the object that defines the symbol.
int FindTlsBlock(dl_phdr_info* info, size_t, void* arg) {
  auto* block = static_cast<TlsBlock*>(arg);
  const ElfW(Phdr)* tls = nullptr;
  bool holds_symbol = false;
  auto symbol = reinterpret_cast<ElfW(Addr)>(block->address_of_symbol);
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& phdr = info->dlpi_phdr[i];
    if (phdr.p_type == PT_TLS) tls = &phdr;
    ElfW(Addr) start = info->dlpi_addr + phdr.p_vaddr;
    if (phdr.p_type == PT_LOAD && symbol >= start && symbol < start + phdr.p_memsz) holds_symbol = true;
  }
  if (!holds_symbol) return 0;
  if (tls && info->dlpi_tls_data) {
    block->data = static_cast<char*>(info->dlpi_tls_data);
    block->size = tls->p_memsz;
  }
  return 1;
}

}  // namespace

bool V8ThreadIdentity::Locate(v8::Isolate* isolate, std::string* why_not) {
  auto* isolate_key = static_cast<int*>(dlsym(RTLD_DEFAULT, kIsolateKey));
  auto* thread_data_key = static_cast<int*>(dlsym(RTLD_DEFAULT, kThreadDataKey));
  auto get_thread_id = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, kGetCurrentThreadId));
  if (!isolate_key || !thread_data_key || !get_thread_id) {
    *why_not = "libnode does not export V8's thread identity symbols";
    return false;
  }
  isolate_key_ = static_cast<unsigned>(*isolate_key);
  thread_data_key_ = static_cast<unsigned>(*thread_data_key);
  // The key values must be what V8 reads: the entered isolate and its thread data.
  if (pthread_getspecific(isolate_key_) != isolate || pthread_getspecific(thread_data_key_) == nullptr) {
    *why_not = "V8's isolate keys do not hold the entered isolate";
    return false;
  }

  TlsBlock block;
  block.address_of_symbol = reinterpret_cast<void*>(get_thread_id);
  dl_iterate_phdr(FindTlsBlock, &block);
  if (!block.data) {
    *why_not = "libnode has no static TLS block";
    return false;
  }
  int thread_id = get_thread_id();
  std::vector<int*> confirmed;
  for (size_t offset = 0; offset + sizeof(int) <= block.size; offset += alignof(int)) {
    int* slot = reinterpret_cast<int*>(block.data + offset);
    if (*slot != thread_id) continue;
    // Confirm: a value written here must be what V8 then reports. Put the original back at once.
    const int probe = thread_id ^ 0x5a5a0000;
    *slot = probe;
    bool is_thread_id = get_thread_id() == probe;
    *slot = thread_id;
    if (is_thread_id) confirmed.push_back(slot);
  }
  if (confirmed.size() != 1) {
    *why_not = confirmed.empty() ? "V8's thread_id was not found in libnode's TLS block"
                                 : "more than one TLS slot behaves like V8's thread_id";
    return false;
  }
  thread_id_ = confirmed[0];
  return true;
}

ThreadIdentity V8ThreadIdentity::Read() const {
  return {pthread_getspecific(isolate_key_), pthread_getspecific(thread_data_key_), *thread_id_};
}

void V8ThreadIdentity::Write(const ThreadIdentity& identity) const {
  pthread_setspecific(isolate_key_, identity.isolate);
  pthread_setspecific(thread_data_key_, identity.thread_data);
  *thread_id_ = identity.thread_id;
}

}  // namespace corojs::fiber
