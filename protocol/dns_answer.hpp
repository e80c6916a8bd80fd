// DNS_CHECK's verdict on a server's answer, as keepalived 2.2.7 judges it (README,
// "DNS_CHECK"): pure parsing of the answer message (RFC 1035 4.1), no I/O. The query
// itself is built and sent by c-ares (kernel/probe_dns.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ka::proto {

// The query types DNS_CHECK knows (keepalived.conf(5): A|NS|CNAME|SOA|MX|TXT|AAAA), as
// their RFC 1035 / RFC 3596 codes; nullopt for another name. Case-insensitive.
std::optional<std::uint16_t> dns_type_code(std::string_view name);
const char* dns_type_name(std::uint16_t code);  // "A", ..., "?" for another code

struct dns_verdict {
  bool ok = false;
  std::string reason;  // what failed, or what was seen
};

// keepalived 2.2.7's rule: a response (QR set) with RCODE 0 (NOERROR) is up, whatever its
// answer section holds (no record, or records of another type, are still up); any other
// RCODE is down. The answer section is read only to say what came (`reason`). The ID and
// the question are matched to the query by the resolver before this (c-ares drops
// answers that do not match; keepalived drops those with another ID too).
dns_verdict judge_dns_answer(const std::uint8_t* msg, std::size_t len, std::uint16_t qtype);

} // namespace ka::proto
