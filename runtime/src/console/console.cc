// __primordials.console.write(fd, text): console.log/error's output, unbuffered so nothing is lost at exit.
// Formatting lives in lib/inspect.js.
#include <unistd.h>

#include <cerrno>

#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

void Write(const Args& info) {
  int64_t fd;
  std::string text;
  if (!ArgCount(info, 2, "console.write") || !ArgInt(info, 0, "fd", 1, 2, &fd) ||
      !ArgBytes(info, 1, "text", &text)) {
    return;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(static_cast<int>(fd), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // a non-blocking pipe that is full: wait for room
      usleep(1000);
      continue;
    }
    if (n <= 0) return;  // a closed stdout (EPIPE) must not kill the program
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void InitConsoleBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) { SetMethod(isolate, target, "write", Write); }

}  // namespace corojs
