// HTTP_GET / SSL_GET: whether one url's response passes, as keepalived.conf(5) describes it.
// Pure: the probe (kernel/probe_http.cpp) reads the response and hashes the body; this
// decides and says why not.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/http_regex.hpp"

namespace ka::proto {

struct http_expect {
  // Inclusive ranges; empty: 200-299 (keepalived's default).
  std::vector<std::pair<std::uint16_t, std::uint16_t>> status;
  std::string digest;     // hex MD5 of the body; empty: not checked
  std::shared_ptr<const http_regex> regex;  // null: not checked
};

// Empty when the response passes; else the reason ("HTTP status 503", "digest
// 0123... differs from the expected abcd...", "regex \"ok\" not matched"): the status
// first, then the digest, then the regex.
std::string judge_http(const http_expect& e, unsigned status, std::string_view body_md5_hex,
                       std::string_view body = {});

// The request line and headers keepalived-style: GET path, the Host header (virtualhost,
// else the address, with the port unless it is the scheme's default), Connection: close
// for 1.0C and 1.1.
std::string http_host_header(const std::string& virtualhost, const std::string& addr, bool v6,
                             std::uint16_t port, bool tls);

// Lower-case hex of bytes.
std::string to_hex(const unsigned char* p, std::size_t n);

} // namespace ka::proto
