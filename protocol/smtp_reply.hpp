// SMTP_CHECK: assembling a server's reply from the bytes read so far (RFC 5321 4.2: lines
// "NNN-text" continue, "NNN text" or "NNN" end the reply). Pure: the probe
// (kernel/probe_smtp.cpp) feeds it what it reads.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ka::proto {

struct smtp_reply {
  int code = 0;
  std::string text;     // the last line, for reasons
};

class smtp_reply_reader {
public:
  // Appends bytes. Returns true once a whole reply is there (reply() then holds it) or the
  // input is malformed (error() then says why).
  bool feed(std::string_view bytes);
  const smtp_reply& reply() const { return reply_; }
  const std::string& error() const { return error_; }
  bool done() const { return done_; }
  // Drops the reply read, keeping any bytes that followed it.
  void next();

private:
  std::string buf_;
  smtp_reply reply_;
  std::string error_;
  bool done_ = false;
};

} // namespace ka::proto
