#include "protocol/smtp_reply.hpp"

#include <cctype>

namespace ka::proto {

namespace {
constexpr std::size_t max_line = 4096;  // a server sending more without a newline is broken
}

bool smtp_reply_reader::feed(std::string_view bytes) {
  if (done_) return true;
  buf_.append(bytes);
  for (;;) {
    auto nl = buf_.find('\n');
    if (nl == std::string::npos) {
      if (buf_.size() > max_line) {
        error_ = "SMTP reply line too long";
        done_ = true;
      }
      return done_;
    }
    std::string line = buf_.substr(0, nl);
    buf_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
        !std::isdigit(static_cast<unsigned char>(line[1])) || !std::isdigit(static_cast<unsigned char>(line[2]))) {
      error_ = "malformed SMTP reply \"" + line.substr(0, 80) + "\"";
      done_ = true;
      return true;
    }
    int code = std::stoi(line.substr(0, 3));
    if (line.size() > 3 && line[3] == '-') {
      reply_.code = code;  // a continuation: the reply goes on
      continue;
    }
    if (line.size() > 3 && line[3] != ' ') {
      error_ = "malformed SMTP reply \"" + line.substr(0, 80) + "\"";
      done_ = true;
      return true;
    }
    reply_.code = code;
    reply_.text = line;
    done_ = true;
    return true;
  }
}

void smtp_reply_reader::next() {
  reply_ = {};
  error_.clear();
  done_ = false;
}

} // namespace ka::proto
