// __primordials.fs (spec 3): every call starts a libuv fs request on the thread pool and blocks only the
// calling fiber until it completes. Errors carry code, syscall and path.
#include <fcntl.h>
#include <uv.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "fiber/blocking_request.h"
#include "fs/file_handle.h"
#include "handles/lookup.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"
#include "kernel/runtime.h"

namespace corojs {

FileHandle::~FileHandle() {
  uv_fs_t req;
  uv_fs_close(nullptr, &req, fd_, nullptr);  // synchronous: nothing else uses the descriptor any more
  uv_fs_req_cleanup(&req);
}

namespace {

using FsRequest = fiber::BlockingRequest<uv_fs_t>;

// 'r', 'r+', 'rs+', 'w', 'wx', 'w+', 'wx+', 'a', 'ax', 'a+', 'ax+' (Node's meanings), or an integer.
bool ParseFlags(const Args& info, int index, int* out) {
  v8::Local<v8::Value> v = info[index];
  if (v->IsUndefined()) {
    *out = O_RDONLY;
    return true;
  }
  if (v->IsInt32()) {
    *out = v.As<v8::Int32>()->Value();
    return true;
  }
  std::string flags;
  if (!ArgString(info, index, "flags", &flags)) return false;
  static const struct {
    const char* name;
    int value;
  } kFlags[] = {
      {"r", O_RDONLY},
      {"r+", O_RDWR},
      {"rs+", O_RDWR | O_SYNC},
      {"w", O_WRONLY | O_CREAT | O_TRUNC},
      {"wx", O_WRONLY | O_CREAT | O_TRUNC | O_EXCL},
      {"w+", O_RDWR | O_CREAT | O_TRUNC},
      {"wx+", O_RDWR | O_CREAT | O_TRUNC | O_EXCL},
      {"a", O_WRONLY | O_CREAT | O_APPEND},
      {"ax", O_WRONLY | O_CREAT | O_APPEND | O_EXCL},
      {"a+", O_RDWR | O_CREAT | O_APPEND},
      {"ax+", O_RDWR | O_CREAT | O_APPEND | O_EXCL},
  };
  for (const auto& f : kFlags) {
    if (flags == f.name) {
      *out = f.value;
      return true;
    }
  }
  ThrowTypeError(info.GetIsolate(), "invalid file flags '" + flags + "'", "ERR_INVALID_ARG_VALUE");
  return false;
}

std::shared_ptr<FileHandle> OpenFile(const Args& info, int index) {
  std::shared_ptr<FileHandle> file = LookupHandle<FileHandle>(info, index);
  if (file && file->closed()) {
    ThrowCodeError(info.GetIsolate(), "EBADF", "file handle is closed");
    return nullptr;
  }
  return file;
}

// A closed-while-blocked handle reports EBADF even if the operation itself succeeded.
bool ClosedMeanwhile(const Args& info, const std::shared_ptr<FileHandle>& file, const char* syscall) {
  if (!file->closed()) return false;
  ThrowCodeError(info.GetIsolate(), "EBADF", "file handle was closed during the operation", syscall);
  return true;
}

void Open(const Args& info) {
  std::string path;
  int flags;
  int64_t mode;
  if (!ArgCount(info, 1, "fs.open") || !ArgString(info, 0, "path", &path) || !ParseFlags(info, 1, &flags) ||
      !ArgInt(info, 2, "mode", 0, 07777, &mode, true, 0666)) {
    return;
  }
  FsRequest request;
  ssize_t fd = request.Run([&](uv_fs_t* req, uv_fs_cb cb) {
    return uv_fs_open(GetLoop(), req, path.c_str(), flags | O_CLOEXEC, static_cast<int>(mode), cb);
  });
  if (fd < 0) return ThrowUvError(info.GetIsolate(), static_cast<int>(fd), "open", path.c_str());
  uint64_t id = HandleStore::Add(std::make_shared<FileHandle>(static_cast<uv_file>(fd)), fiber::OwnerId());
  info.GetReturnValue().Set(NewId(info.GetIsolate(), id));
}

void Read(const Args& info) {
  int64_t length, offset;
  if (!ArgCount(info, 2, "fs.read")) return;
  std::shared_ptr<FileHandle> file = OpenFile(info, 0);
  if (!file || !ArgInt(info, 1, "length", 0, int64_t{1} << 31, &length) ||
      !ArgInt(info, 2, "offset", -1, int64_t{1} << 53, &offset, true, -1)) {
    return;
  }
  char* data = static_cast<char*>(malloc(length ? length : 1));
  if (!data) return ThrowCodeError(info.GetIsolate(), "ENOMEM", "cannot allocate the read buffer", "read");
  FsRequest request;
  uv_buf_t buf = uv_buf_init(data, static_cast<unsigned>(length));
  ssize_t n = request.Run(
      [&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_read(GetLoop(), req, file->fd(), &buf, 1, offset, cb); });
  if (n < 0 || ClosedMeanwhile(info, file, "read")) {
    free(data);
    if (n < 0) ThrowUvError(info.GetIsolate(), static_cast<int>(n), "read");
    return;
  }
  if (n == 0 && length > 0) {
    free(data);
    info.GetReturnValue().SetNull();
    return;
  }
  if (static_cast<int64_t>(n) < length) data = static_cast<char*>(realloc(data, n ? n : 1));
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      data, static_cast<size_t>(n), [](void* bytes, size_t, void*) { free(bytes); }, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(info.GetIsolate(), std::move(store));
  info.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, static_cast<size_t>(n)));
}

void Write(const Args& info) {
  std::string bytes;
  int64_t offset;
  if (!ArgCount(info, 2, "fs.write")) return;
  std::shared_ptr<FileHandle> file = OpenFile(info, 0);
  if (!file || !ArgBytes(info, 1, "buffer", &bytes) ||
      !ArgInt(info, 2, "offset", -1, int64_t{1} << 53, &offset, true, -1)) {
    return;
  }
  size_t written = 0;
  do {  // a regular file may take a write in several pieces
    FsRequest request;
    uv_buf_t buf = uv_buf_init(bytes.data() + written, static_cast<unsigned>(bytes.size() - written));
    int64_t position = offset < 0 ? -1 : offset + static_cast<int64_t>(written);
    ssize_t n = request.Run(
        [&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_write(GetLoop(), req, file->fd(), &buf, 1, position, cb); });
    if (n < 0) return ThrowUvError(info.GetIsolate(), static_cast<int>(n), "write");
    if (ClosedMeanwhile(info, file, "write")) return;
    if (n == 0) break;
    written += static_cast<size_t>(n);
  } while (written < bytes.size());
  info.GetReturnValue().Set(v8::BigInt::NewFromUnsigned(info.GetIsolate(), written));
}

v8::Local<v8::Object> StatObject(v8::Isolate* isolate, const uv_stat_t& s) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  auto set = [&](const char* key, double value) {
    out->Set(context, NewString(isolate, key), v8::Number::New(isolate, value)).Check();
  };
  auto ms = [](const uv_timespec_t& t) { return t.tv_sec * 1e3 + t.tv_nsec / 1e6; };
  set("dev", s.st_dev);
  set("ino", s.st_ino);
  set("mode", s.st_mode);
  set("nlink", s.st_nlink);
  set("uid", s.st_uid);
  set("gid", s.st_gid);
  set("rdev", s.st_rdev);
  set("size", s.st_size);
  set("blksize", s.st_blksize);
  set("blocks", s.st_blocks);
  set("atimeMs", ms(s.st_atim));
  set("mtimeMs", ms(s.st_mtim));
  set("ctimeMs", ms(s.st_ctim));
  set("birthtimeMs", ms(s.st_birthtim));
  return out;
}

void Fstat(const Args& info) {
  if (!ArgCount(info, 1, "fs.fstat")) return;
  std::shared_ptr<FileHandle> file = OpenFile(info, 0);
  if (!file) return;
  FsRequest request;
  ssize_t rc = request.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_fstat(GetLoop(), req, file->fd(), cb); });
  if (rc < 0) return ThrowUvError(info.GetIsolate(), static_cast<int>(rc), "fstat");
  if (ClosedMeanwhile(info, file, "fstat")) return;
  info.GetReturnValue().Set(StatObject(info.GetIsolate(), request->statbuf));
}

void Stat(const Args& info) {
  std::string path;
  if (!ArgCount(info, 1, "fs.stat") || !ArgString(info, 0, "path", &path)) return;
  FsRequest request;
  ssize_t rc = request.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_stat(GetLoop(), req, path.c_str(), cb); });
  if (rc < 0) return ThrowUvError(info.GetIsolate(), static_cast<int>(rc), "stat", path.c_str());
  info.GetReturnValue().Set(StatObject(info.GetIsolate(), request->statbuf));
}

template <int (*Sync)(uv_loop_t*, uv_fs_t*, uv_file, uv_fs_cb)>
void SyncCall(const Args& info, const char* syscall) {
  if (!ArgCount(info, 1, syscall)) return;
  std::shared_ptr<FileHandle> file = OpenFile(info, 0);
  if (!file) return;
  FsRequest request;
  ssize_t rc = request.Run([&](uv_fs_t* req, uv_fs_cb cb) { return Sync(GetLoop(), req, file->fd(), cb); });
  if (rc < 0) return ThrowUvError(info.GetIsolate(), static_cast<int>(rc), syscall);
  ClosedMeanwhile(info, file, syscall);
}

void Fsync(const Args& info) { SyncCall<uv_fs_fsync>(info, "fsync"); }
void Fdatasync(const Args& info) { SyncCall<uv_fs_fdatasync>(info, "fdatasync"); }

void Close(const Args& info) {
  uint64_t id;
  if (!ArgCount(info, 1, "fs.close")) return;
  if (!LookupHandle<FileHandle>(info, 0, &id)) return;
  HandleStore::Remove(id)->Close();
}

void Readdir(const Args& info) {
  std::string path;
  if (!ArgCount(info, 1, "fs.readdir") || !ArgString(info, 0, "path", &path)) return;
  FsRequest request;
  ssize_t rc =
      request.Run([&](uv_fs_t* req, uv_fs_cb cb) { return uv_fs_scandir(GetLoop(), req, path.c_str(), 0, cb); });
  v8::Isolate* isolate = info.GetIsolate();
  if (rc < 0) return ThrowUvError(isolate, static_cast<int>(rc), "scandir", path.c_str());
  v8::Local<v8::Array> names = v8::Array::New(isolate);
  uv_dirent_t entry;
  uint32_t i = 0;
  while (uv_fs_scandir_next(request.get(), &entry) != UV_EOF) {
    names->Set(isolate->GetCurrentContext(), i++, NewString(isolate, entry.name)).Check();
  }
  info.GetReturnValue().Set(names);
}

template <class Start>
void PathCall(const Args& info, const char* syscall, Start start) {
  std::string path;
  if (!ArgCount(info, 1, syscall) || !ArgString(info, 0, "path", &path)) return;
  FsRequest request;
  ssize_t rc = request.Run([&](uv_fs_t* req, uv_fs_cb cb) { return start(GetLoop(), req, path.c_str(), cb); });
  if (rc < 0) ThrowUvError(info.GetIsolate(), static_cast<int>(rc), syscall, path.c_str());
}

void Unlink(const Args& info) { PathCall(info, "unlink", uv_fs_unlink); }
void Rmdir(const Args& info) { PathCall(info, "rmdir", uv_fs_rmdir); }

void Mkdir(const Args& info) {
  int64_t mode;
  if (!ArgInt(info, 1, "mode", 0, 07777, &mode, true, 0777)) return;
  PathCall(info, "mkdir", [&](uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
    return uv_fs_mkdir(loop, req, path, static_cast<int>(mode), cb);
  });
}

}  // namespace

void InitFsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "open", Open);
  SetMethod(isolate, target, "read", Read);
  SetMethod(isolate, target, "write", Write);
  SetMethod(isolate, target, "fstat", Fstat);
  SetMethod(isolate, target, "fsync", Fsync);
  SetMethod(isolate, target, "fdatasync", Fdatasync);
  SetMethod(isolate, target, "close", Close);
  SetMethod(isolate, target, "readdir", Readdir);
  SetMethod(isolate, target, "unlink", Unlink);
  SetMethod(isolate, target, "mkdir", Mkdir);
  SetMethod(isolate, target, "rmdir", Rmdir);
  SetMethod(isolate, target, "stat", Stat);  // extension
}

}  // namespace corojs
