#include "protocol/dns_answer.hpp"

#include <cctype>

namespace ka::proto {
namespace {

struct type_row {
  const char* name;
  std::uint16_t code;
};
constexpr type_row k_types[] = {{"A", 1},   {"NS", 2},  {"CNAME", 5}, {"SOA", 6},
                                {"MX", 15}, {"TXT", 16}, {"AAAA", 28}};

const char* rcode_name(unsigned rc) {
  switch (rc) {
  case 1: return "FORMERR";
  case 2: return "SERVFAIL";
  case 3: return "NXDOMAIN";
  case 4: return "NOTIMP";
  case 5: return "REFUSED";
  default: return "error";
  }
}

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// Steps over a (possibly compressed) name starting at `at`; the offset after it, or
// nullopt when it runs past the message or is malformed.
std::optional<std::size_t> skip_name(const std::uint8_t* msg, std::size_t len, std::size_t at) {
  for (int labels = 0; labels < 128; ++labels) {
    if (at >= len)
      return std::nullopt;
    std::uint8_t l = msg[at];
    if (l == 0)
      return at + 1;
    if ((l & 0xc0) == 0xc0)  // a pointer ends the name in this place
      return at + 2 <= len ? std::optional<std::size_t>(at + 2) : std::nullopt;
    if (l & 0xc0)  // 01 and 10 label types are not in use
      return std::nullopt;
    at += 1u + l;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::uint16_t> dns_type_code(std::string_view name) {
  for (const auto& t : k_types) {
    std::string_view n(t.name);
    if (n.size() != name.size())
      continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size(); ++i)
      same = same && std::toupper(static_cast<unsigned char>(name[i])) == n[i];
    if (same)
      return t.code;
  }
  return std::nullopt;
}

const char* dns_type_name(std::uint16_t code) {
  for (const auto& t : k_types)
    if (t.code == code)
      return t.name;
  return "?";
}

dns_verdict judge_dns_answer(const std::uint8_t* msg, std::size_t len, std::uint16_t qtype) {
  if (len < 12)
    return {false, "answer shorter than a DNS header"};
  std::uint16_t flags = be16(msg + 2);
  if (!(flags & 0x8000))
    return {false, "not a response (QR clear)"};
  unsigned rcode = flags & 0x0f;
  if (rcode != 0)
    return {false, std::string("RCODE ") + rcode_name(rcode) + " (" + std::to_string(rcode) + ")"};
  std::uint16_t qd = be16(msg + 4), an = be16(msg + 6);
  std::string records = std::to_string(an) + " answer record(s)";
  std::size_t at = 12;
  for (unsigned i = 0; i < qd; ++i) {
    auto next = skip_name(msg, len, at);
    if (!next || *next + 4 > len)
      return {true, "NOERROR, malformed question section"};
    at = *next + 4;
  }
  for (unsigned i = 0; i < an; ++i) {
    auto next = skip_name(msg, len, at);
    if (!next || *next + 10 > len)
      return {true, "NOERROR, " + records + ", malformed"};
    std::uint16_t type = be16(msg + *next);
    std::uint16_t rdlen = be16(msg + *next + 8);
    if (*next + 10 + rdlen > len)
      return {true, "NOERROR, " + records + ", malformed"};
    if (type == qtype)
      return {true, "NOERROR, " + records + ", " + dns_type_name(qtype) + " among them"};
    at = *next + 10 + rdlen;
  }
  return {true, "NOERROR, " + records + ", none of type " + dns_type_name(qtype)};
}

} // namespace ka::proto
