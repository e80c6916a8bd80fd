// The pure halves of DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK and FILE_CHECK.
#include <doctest/doctest.h>

#include <climits>
#include <vector>

#include "protocol/check_verdicts.hpp"
#include "protocol/checksum.hpp"
#include "protocol/dns_answer.hpp"
#include "protocol/icmp_echo.hpp"
#include "protocol/udp_reply.hpp"

using namespace ka::proto;
using bytes = std::vector<std::uint8_t>;

namespace {

// A response with RCODE `rcode`, the question ". IN <qtype>" and answers of `types`
// (each with a root owner name, or a pointer to the question's name when `ptr`).
bytes dns_response(unsigned rcode, std::uint16_t qtype, const std::vector<std::uint16_t>& types,
                   bool ptr = false) {
  bytes m{0x12, 0x34, 0x81, static_cast<std::uint8_t>(0x80 | rcode), 0, 1, 0,
          static_cast<std::uint8_t>(types.size()), 0, 0, 0, 0};
  m.insert(m.end(), {0, static_cast<std::uint8_t>(qtype >> 8), static_cast<std::uint8_t>(qtype), 0, 1});
  for (auto t : types) {
    if (ptr)
      m.insert(m.end(), {0xc0, 12});
    else
      m.push_back(0);
    m.insert(m.end(), {static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t), 0, 1, 0, 0, 0, 60, 0, 4,
                       192, 0, 2, 1});
  }
  return m;
}

} // namespace

TEST_CASE("dns: type names and codes, DNS_CHECK's seven") {
  CHECK(dns_type_code("soa") == 6);
  CHECK(dns_type_code("AAAA") == 28);
  CHECK(dns_type_code("MX") == 15);
  CHECK_FALSE(dns_type_code("PTR"));
  CHECK(std::string(dns_type_name(5)) == "CNAME");
}

TEST_CASE("dns: NOERROR is up, whatever the answer section holds (keepalived's rule)") {
  auto m = dns_response(0, 1, {5, 1});
  auto v = judge_dns_answer(m.data(), m.size(), 1);
  CHECK(v.ok);
  CHECK(v.reason.find("A among them") != std::string::npos);
  auto p = dns_response(0, 28, {28}, true);
  CHECK(judge_dns_answer(p.data(), p.size(), 28).ok);
  // No record, or records of another type only: still up, and said.
  auto empty = dns_response(0, 6, {});
  v = judge_dns_answer(empty.data(), empty.size(), 6);
  CHECK(v.ok);
  CHECK(v.reason.find("0 answer record(s)") != std::string::npos);
  auto wrong = dns_response(0, 6, {1, 1});
  v = judge_dns_answer(wrong.data(), wrong.size(), 6);
  CHECK(v.ok);
  CHECK(v.reason.find("none of type SOA") != std::string::npos);
  auto cut = dns_response(0, 1, {1});
  v = judge_dns_answer(cut.data(), cut.size() - 1, 1);  // rdata runs past the end
  CHECK(v.ok);
  CHECK(v.reason.find("malformed") != std::string::npos);
  bytes loop = dns_response(0, 1, {1});
  loop[12] = 63;  // a label longer than the message
  CHECK(judge_dns_answer(loop.data(), loop.size(), 1).reason.find("malformed") != std::string::npos);
}

TEST_CASE("dns: an error RCODE, a query or a short message: down") {
  auto nx = dns_response(3, 1, {});
  auto v = judge_dns_answer(nx.data(), nx.size(), 1);
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("NXDOMAIN") != std::string::npos);
  auto refused = dns_response(5, 6, {});
  v = judge_dns_answer(refused.data(), refused.size(), 6);
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("REFUSED") != std::string::npos);
  auto servfail = dns_response(2, 6, {6});
  CHECK_FALSE(judge_dns_answer(servfail.data(), servfail.size(), 6).ok);
  auto query = dns_response(0, 1, {1});
  query[2] &= 0x7f;  // QR clear: a query, not an answer
  CHECK_FALSE(judge_dns_answer(query.data(), query.size(), 1).ok);
  CHECK_FALSE(judge_dns_answer(query.data(), 11, 1).ok);
}

TEST_CASE("udp: with a HEX_STR the length bounds are inclusive") {
  udp_expect w;
  w.reply = {1};
  w.min_length = 2;
  w.max_length = 4;
  bytes r{1, 2, 3, 4, 5};
  CHECK_FALSE(judge_udp_reply(r.data(), 1, w).ok);
  CHECK(judge_udp_reply(r.data(), 2, w).ok);
  CHECK(judge_udp_reply(r.data(), 4, w).ok);
  CHECK_FALSE(judge_udp_reply(r.data(), 5, w).ok);
  udp_expect dflt;
  dflt.reply = {0};
  bytes big(256, 0);
  CHECK(judge_udp_reply(big.data(), 255, dflt).ok);
  CHECK_FALSE(judge_udp_reply(big.data(), 256, dflt).ok);
  CHECK(judge_udp_reply(big.data(), 0, dflt).ok);
}

TEST_CASE("udp: without a HEX_STR any reply is good, whatever its length (keepalived 2.2.7)") {
  udp_expect w;
  w.min_length = 3;
  w.max_length = 4;
  bytes r(10, 1);
  CHECK(judge_udp_reply(r.data(), 1, w).ok);
  CHECK(judge_udp_reply(r.data(), 10, w).ok);
}

TEST_CASE("udp: ICMP destination unreachable fails, other ICMP errors do not") {
  CHECK(udp_icmp_failure(false, 3, 3) == std::string("ICMP destination unreachable: port unreachable"));
  CHECK(udp_icmp_failure(false, 3, 1)->find("host unreachable") != std::string::npos);
  CHECK(udp_icmp_failure(false, 3, 99)->find("code 99") != std::string::npos);
  CHECK_FALSE(udp_icmp_failure(false, 11, 0));  // time exceeded
  CHECK(udp_icmp_failure(true, 1, 4) == std::string("ICMPv6 destination unreachable: port unreachable"));
  CHECK(udp_icmp_failure(true, 1, 3)->find("address unreachable") != std::string::npos);
  CHECK_FALSE(udp_icmp_failure(true, 3, 0));  // ICMPv6 time exceeded
  CHECK_FALSE(udp_icmp_failure(true, 128, 0));
}

TEST_CASE("udp: content must match under the nibble mask, over the shorter length") {
  udp_expect w;
  w.reply = {0xab, 0x12, 0x0f};
  w.mask = {0xff, 0xf0, 0xff};  // "ab1x0f"
  bytes good{0xab, 0x17, 0x0f, 0x99};
  CHECK(judge_udp_reply(good.data(), good.size(), w).ok);
  bytes bad{0xab, 0x27, 0x0f};
  auto v = judge_udp_reply(bad.data(), bad.size(), w);
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("byte 1") != std::string::npos);
  // Shorter than the expected string: only what came is compared.
  CHECK(judge_udp_reply(good.data(), 1, w).ok);
}

TEST_CASE("icmp: an echo request is well formed and its reply is recognised") {
  bytes payload{1, 2, 3, 4, 5};
  auto req = build_echo_request(false, 0x1234, 7, payload);
  REQUIRE(req.size() == 13);
  CHECK(req[0] == 8);
  CHECK(inet_checksum(req.data(), req.size()) == 0);
  // The reply: type 0, checksum redone.
  auto rep = req;
  rep[0] = 0;
  rep[2] = rep[3] = 0;
  auto s = inet_checksum(rep.data(), rep.size());
  rep[2] = static_cast<std::uint8_t>(s >> 8);
  rep[3] = static_cast<std::uint8_t>(s);
  CHECK(match_echo_reply(false, rep.data(), rep.size(), false, true, 0x1234, 7, payload) == echo_match::reply);
  CHECK(match_echo_reply(false, rep.data(), rep.size(), false, true, 0x1235, 7, payload) == echo_match::other);
  CHECK(match_echo_reply(false, rep.data(), rep.size(), false, false, 0x1235, 7, payload) == echo_match::reply);
  CHECK(match_echo_reply(false, rep.data(), rep.size(), false, true, 0x1234, 8, payload) == echo_match::other);
  CHECK(match_echo_reply(false, req.data(), req.size(), false, true, 0x1234, 7, payload) == echo_match::other);
  // Behind a 20-byte IPv4 header (raw sockets).
  bytes ip(20, 0);
  ip[0] = 0x45;
  ip.insert(ip.end(), rep.begin(), rep.end());
  CHECK(match_echo_reply(false, ip.data(), ip.size(), true, true, 0x1234, 7, payload) == echo_match::reply);
  rep[9] ^= 1;  // corrupted: the checksum no longer holds
  CHECK(match_echo_reply(false, rep.data(), rep.size(), false, true, 0x1234, 7, payload) == echo_match::malformed);
  CHECK(match_echo_reply(false, rep.data(), 5, false, true, 0x1234, 7, payload) == echo_match::malformed);
}

TEST_CASE("icmp: ICMPv6 echo, checksum left to the kernel") {
  bytes payload{9, 9};
  auto req = build_echo_request(true, 1, 2, payload);
  CHECK(req[0] == 128);
  CHECK(req[2] == 0);
  CHECK(req[3] == 0);
  auto rep = req;
  rep[0] = 129;
  CHECK(match_echo_reply(true, rep.data(), rep.size(), false, true, 1, 2, payload) == echo_match::reply);
  bytes other_payload{9, 8};
  CHECK(match_echo_reply(true, rep.data(), rep.size(), false, true, 1, 2, other_payload) == echo_match::other);
}

TEST_CASE("misc: exit status, plain and misc_dynamic") {
  CHECK(misc_verdict(0, false).ok);
  CHECK_FALSE(misc_verdict(1, false).ok);
  CHECK_FALSE(misc_verdict(2, false).ok);
  CHECK_FALSE(misc_verdict(0, false).weight);
  auto z = misc_verdict(0, true);
  CHECK(z.ok);
  CHECK_FALSE(z.weight);
  CHECK_FALSE(misc_verdict(1, true).ok);
  auto two = misc_verdict(2, true);
  CHECK(two.ok);
  CHECK(two.weight == 0);
  CHECK(misc_verdict(12, true).weight == 10);
  CHECK(misc_verdict(255, true).weight == 253);
}

TEST_CASE("file: weight 0 is up only at 0 (reverse: only off 0)") {
  CHECK(file_verdict(0, 0, false, false).ok);
  CHECK_FALSE(file_verdict(3, 0, false, false).ok);
  CHECK_FALSE(file_verdict(-1, 0, false, false).ok);
  CHECK_FALSE(file_verdict(0, 0, true, false).ok);
  CHECK(file_verdict(3, 0, true, false).ok);
}

TEST_CASE("file: weighted values, dynamic weight change, the fault floor") {
  auto v = file_verdict(5, 10, false, true);
  CHECK(v.ok);
  CHECK(v.weight == 50);
  v = file_verdict(5, 10, true, true);
  CHECK(v.ok);
  CHECK(v.weight == -50);
  CHECK_FALSE(file_verdict(5, 10, false, false).weight);
  CHECK(file_verdict(-7, 3, false, false).ok);  // a negative change, not a fault
  // At the lowest int the server is down.
  CHECK_FALSE(file_verdict(INT_MIN, 1, false, true).ok);
  CHECK_FALSE(file_verdict(static_cast<long long>(INT_MAX) + 1, 1, true, false).ok);
  CHECK_FALSE(file_verdict(-65536, 65536, false, false).ok);
  CHECK(file_verdict(INT_MAX, 2, false, true).weight == INT_MAX);  // held to the int range
}

TEST_CASE("file: numbers read as keepalived reads them") {
  CHECK(parse_track_number("42\n") == 42);
  CHECK(parse_track_number("  -3 apples") == -3);
  CHECK(parse_track_number("0x10") == 16);
  CHECK(parse_track_number("010") == 8);
  CHECK(parse_track_number("") == 0);
  CHECK(parse_track_number("none") == 0);
  CHECK(parse_track_number("2147483648") == 2147483648LL);
  CHECK_FALSE(parse_track_number("2147483649"));
  CHECK_FALSE(parse_track_number("-2147483649"));
  CHECK_FALSE(parse_track_number("99999999999999999999999"));
}
