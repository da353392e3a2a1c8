// Echo and HTTP/1.1 reply checks: see reply_check.h.
#include "reply_check.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

namespace corojs::lab {

namespace {

class EchoCheck : public ReplyCheck {
 public:
  EchoCheck(size_t size, int connection) : connection_(connection) {
    message_.resize(size);
    for (size_t i = 0; i < size; i++) message_[i] = static_cast<char>(EchoPayloadByte(i, connection));
  }

  const std::string& Begin(uint64_t index) override {
    for (size_t b = 0; b < std::min<size_t>(4, message_.size()); b++)
      message_[b] = static_cast<char>((index >> (8 * b)) & 0xff);
    index_ = index;
    received_ = 0;
    return message_;
  }

  Status Feed(const uint8_t* data, size_t n, size_t* used, std::string* why) override {
    size_t take = std::min(n, message_.size() - received_);
    *used = take;
    if (memcmp(data, message_.data() + received_, take) != 0) {
      size_t at = 0;
      while (data[at] == static_cast<uint8_t>(message_[received_ + at])) at++;
      *why = "echo mismatch at byte " + std::to_string(received_ + at) + " of message " + std::to_string(index_) +
             " on connection " + std::to_string(connection_);
      return Status::kWrong;
    }
    received_ += take;
    return received_ == message_.size() ? Status::kDone : Status::kIncomplete;
  }

  std::string Progress() const override {
    return "echo of message " + std::to_string(index_) + " had " + std::to_string(received_) + " of " +
           std::to_string(message_.size()) + " bytes";
  }

 private:
  int connection_;
  std::string message_;
  uint64_t index_ = 0;
  size_t received_ = 0;
};

class HttpCheck : public ReplyCheck {
 public:
  HttpCheck(const std::string& host, const std::string& body)
      : request_("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), body_(body) {}

  const std::string& Begin(uint64_t) override {
    head_.clear();
    head_done_ = false;
    content_length_ = 0;
    body_received_ = 0;
    return request_;
  }

  Status Feed(const uint8_t* data, size_t n, size_t* used, std::string* why) override {
    size_t pos = 0;
    if (!head_done_) {
      // Collect the head up to the blank line; the terminator may straddle chunks.
      size_t before = head_.size();
      head_.append(reinterpret_cast<const char*>(data), n);
      size_t end = head_.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
      if (end == std::string::npos) {
        *used = n;
        if (head_.size() > kMaxHead)
          return Wrong(why, "malformed response: no end of headers in " + std::to_string(head_.size()) + " bytes");
        return Status::kIncomplete;
      }
      pos = end + 4 - before;
      head_.resize(end);
      head_done_ = true;
      Status parsed = ParseHead(why);
      if (parsed == Status::kWrong) {
        *used = pos;
        return parsed;
      }
    }
    size_t take = std::min(n - pos, content_length_ - body_received_);
    if (memcmp(data + pos, body_.data() + body_received_, take) != 0) {
      *used = pos + take;
      return Wrong(why, "wrong body: expected \"" + body_ + "\", got \"" +
                            std::string(reinterpret_cast<const char*>(data + pos), take) + "\"");
    }
    body_received_ += take;
    *used = pos + take;
    return body_received_ == content_length_ ? Status::kDone : Status::kIncomplete;
  }

  std::string Progress() const override {
    if (!head_done_) return "response head incomplete after " + std::to_string(head_.size()) + " bytes";
    return "response body had " + std::to_string(body_received_) + " of " + std::to_string(content_length_) + " bytes";
  }

 private:
  static constexpr size_t kMaxHead = 16384;

  static Status Wrong(std::string* why, const std::string& what) {
    *why = what;
    return Status::kWrong;
  }

  Status ParseHead(std::string* why) {
    size_t line_end = head_.find("\r\n");
    std::string status = head_.substr(0, line_end);
    if (status.compare(0, 7, "HTTP/1.") != 0 || status.size() < 12 || status[8] != ' ')
      return Wrong(why, "malformed response: status line \"" + status.substr(0, 80) + "\"");
    if (status.compare(9, 3, "200") != 0) return Wrong(why, "status \"" + status.substr(9, 40) + "\" instead of 200");
    bool have_length = false;
    size_t at = line_end == std::string::npos ? head_.size() : line_end + 2;
    while (at < head_.size()) {
      size_t end = head_.find("\r\n", at);
      if (end == std::string::npos) end = head_.size();
      std::string line = head_.substr(at, end - at);
      at = end + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0)
        return Wrong(why, "malformed response: header line \"" + line.substr(0, 80) + "\"");
      std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (strcasecmp(name.c_str(), "Content-Length") == 0) {
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
          return Wrong(why, "malformed response: Content-Length \"" + value + "\"");
        content_length_ = std::stoull(value);
        have_length = true;
      } else if (strcasecmp(name.c_str(), "Transfer-Encoding") == 0) {
        return Wrong(why, "unexpected Transfer-Encoding \"" + value + "\" (the body has a fixed length)");
      } else if (strcasecmp(name.c_str(), "Connection") == 0 && strcasecmp(value.c_str(), "close") == 0) {
        return Wrong(why, "the server closes a keep-alive connection (Connection: close)");
      }
    }
    if (!have_length) return Wrong(why, "malformed response: no Content-Length");
    if (content_length_ != body_.size())
      return Wrong(why, "wrong body length: Content-Length " + std::to_string(content_length_) + ", expected " +
                            std::to_string(body_.size()));
    return Status::kIncomplete;
  }

  std::string request_;
  std::string body_;
  std::string head_;
  bool head_done_ = false;
  size_t content_length_ = 0;
  size_t body_received_ = 0;
};

}  // namespace

std::unique_ptr<ReplyCheck> MakeEchoCheck(size_t message_size, int connection) {
  return std::make_unique<EchoCheck>(message_size, connection);
}

std::unique_ptr<ReplyCheck> MakeHttpCheck(const std::string& host_header, const std::string& body) {
  return std::make_unique<HttpCheck>(host_header, body);
}

}  // namespace corojs::lab
