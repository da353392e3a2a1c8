// What one operation sends and how its reply is checked as it arrives, in any chunking: an echo must return
// the message byte for byte; an HTTP/1.1 response must parse (status line, headers, Content-Length) and carry
// status 200 and the expected body.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace corojs::lab {

class ReplyCheck {
 public:
  enum class Status { kIncomplete, kDone, kWrong };
  virtual ~ReplyCheck() = default;
  // Starts operation `index`: the bytes to send.
  virtual const std::string& Begin(uint64_t index) = 0;
  // Consumes up to `n` bytes of the reply (`*used` of them); kWrong sets `*why`.
  virtual Status Feed(const uint8_t* data, size_t n, size_t* used, std::string* why) = 0;
  // How far the current reply got, for an error about a reply that never completed.
  virtual std::string Progress() const = 0;
};

// The echo payload byte at `index` for `connection`: the pattern of harness/src/loadgen/echo-check.ts (whose
// first 4 bytes carry the message number).
inline uint8_t EchoPayloadByte(size_t index, int connection) {
  return static_cast<uint8_t>((index * 31 + connection * 7 + 1) & 0xff);
}

std::unique_ptr<ReplyCheck> MakeEchoCheck(size_t message_size, int connection);
std::unique_ptr<ReplyCheck> MakeHttpCheck(const std::string& host_header, const std::string& body);

}  // namespace corojs::lab
