// Health checkers: the schedule and verdicts of one checker on a fake clock, HTTP response
// judging and SMTP reply assembly (protocol/checker_state.hpp, http_judge.hpp, smtp_reply.hpp).
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "protocol/checker_state.hpp"
#include "protocol/http_judge.hpp"
#include "protocol/smtp_reply.hpp"

using namespace ka::proto;
using namespace std::chrono_literals;
using us = std::chrono::microseconds;

namespace {

checker_timing timing(int retry, bool alpha = false) {
  checker_timing t;
  t.delay_loop = 6s;
  t.delay_before_retry = 2s;
  t.connect_timeout = 1s;
  t.warmup = 4s;
  t.retry = retry;
  t.alpha = alpha;
  return t;
}

// Runs a checker on a fake clock against a server whose health is `ok(t)`; returns the
// reports as (time in ms since start, up).
struct report_at {
  long long ms;
  bool up;
};
template <class F>
std::vector<report_at> run(checker_state& c, us until, F ok, double random01 = 0) {
  std::vector<report_at> out;
  us now = c.first_delay(random01);
  while (now < until) {
    auto v = c.on_result(ok(now));
    if (v.report) out.push_back({std::chrono::duration_cast<std::chrono::milliseconds>(now).count(), v.up});
    now += v.next;
  }
  return out;
}

} // namespace

TEST_CASE("checker: the first check is bootstrap plus a random part of warmup") {
  checker_state c(timing(1));
  CHECK(c.first_delay(0) == 1s);
  CHECK(c.first_delay(0.5) == 3s);
  CHECK(c.first_delay(2.0) == 5s);  // clamped to warmup
  auto t = timing(1);
  t.warmup = 0s;
  CHECK(checker_state(t).first_delay(0.9) == 1s);
}

TEST_CASE("checker: a healthy server is reported up once, checks every delay_loop") {
  checker_state c(timing(1));
  auto r = run(c, 40s, [](us) { return true; });
  REQUIRE(r.size() == 1);
  CHECK(r[0].ms == 1000);
  CHECK(r[0].up);
  CHECK(c.checks() == 7);  // at 1, 7, 13, 19, 25, 31, 37 s
  CHECK(c.failures() == 0);
}

TEST_CASE("checker: retry N takes N+1 failures in a row, delay_before_retry apart") {
  for (int retry : {0, 1, 3}) {
    CAPTURE(retry);
    checker_state c(timing(retry));
    // Healthy until 10 s, dead after.
    auto r = run(c, 60s, [](us t) { return t < 10s; });
    REQUIRE(r.size() == 2);
    CHECK(r[0].up);
    CHECK_FALSE(r[1].up);
    // Checks at 1, 7, 13 (first failure), then retries every 2 s.
    CHECK(r[1].ms == 13000 + 2000 * retry);
  }
}

TEST_CASE("checker: a success between failures resets the count") {
  checker_state c(timing(2));
  CHECK(c.on_result(true).report);
  auto v = c.on_result(false);
  CHECK(v.retrying);
  CHECK(v.next == 2s);
  CHECK_FALSE(v.report);
  CHECK(c.on_result(false).retrying);
  v = c.on_result(true);
  CHECK_FALSE(v.report);  // still up: nothing to say
  CHECK(v.next == 6s);
  CHECK(c.failures_in_row() == 0);
  CHECK(c.on_result(false).retrying);
  CHECK(c.on_result(false).retrying);
  v = c.on_result(false);
  CHECK(v.report);
  CHECK_FALSE(v.up);
  CHECK(v.next == 6s);
}

TEST_CASE("checker: down is not retried, and comes back up on the first success") {
  checker_state c(timing(1));
  c.on_result(false);
  auto v = c.on_result(false);
  CHECK(v.report);
  CHECK_FALSE(v.up);
  v = c.on_result(false);
  CHECK_FALSE(v.report);
  CHECK_FALSE(v.retrying);
  CHECK(v.next == 6s);
  v = c.on_result(true);
  CHECK(v.report);
  CHECK(v.up);
  CHECK(c.transitions() == 1);  // the first verdict is not a transition
}

TEST_CASE("checker: alpha starts down, its first failure is reported at once") {
  checker_state c(timing(3, true));
  CHECK_FALSE(c.up());
  auto v = c.on_result(false);
  CHECK(v.report);
  CHECK_FALSE(v.up);
  CHECK(v.next == 6s);
  checker_state d(timing(3, true));
  v = d.on_result(true);
  CHECK(v.report);
  CHECK(v.up);
}

TEST_CASE("checker: a flapping server reports each change once") {
  checker_state c(timing(0));
  // Healthy in the even 20 s windows, dead in the odd ones.
  auto r = run(c, 100s, [](us t) { return (t / 20s) % 2 == 0; });
  REQUIRE(r.size() >= 4);
  for (std::size_t i = 1; i < r.size(); ++i) CHECK(r[i].up != r[i - 1].up);
}

TEST_CASE("checker: keepalived's per-kind defaults") {
  CHECK(default_retry("TCP_CHECK") == 1);
  CHECK(default_retry("HTTP_GET") == 1);
  CHECK(default_retry("DNS_CHECK") == 3);
  CHECK(default_retry("MISC_CHECK") == 0);
  CHECK(default_delay_before_retry("HTTP_GET", 60s) == 3s);
  CHECK(default_delay_before_retry("SSL_GET", 60s) == 3s);
  CHECK(default_delay_before_retry("TCP_CHECK", 60s) == 1s);
  CHECK(default_delay_before_retry("DNS_CHECK", 7s) == 7s);
}

TEST_CASE("http judge: status ranges, default 200-299, digest") {
  http_expect e;
  CHECK(judge_http(e, 200, "").empty());
  CHECK(judge_http(e, 299, "").empty());
  CHECK(judge_http(e, 503, "") == "HTTP status 503");
  CHECK(judge_http(e, 199, "") == "HTTP status 199");
  e.status = {{200, 200}, {400, 499}};
  CHECK(judge_http(e, 404, "").empty());
  CHECK(judge_http(e, 201, "") == "HTTP status 201");
  e.status.clear();
  e.digest = "9B3A0C85A887A256D6939DA88AABD8CD";
  CHECK(judge_http(e, 200, "9b3a0c85a887a256d6939da88aabd8cd").empty());
  CHECK(judge_http(e, 200, "00000000000000000000000000000000").rfind("digest 0000", 0) == 0);
  CHECK(judge_http(e, 500, "9b3a0c85a887a256d6939da88aabd8cd") == "HTTP status 500");
}

TEST_CASE("http judge: Host header") {
  CHECK(http_host_header("", "192.0.2.1", false, 80, false) == "192.0.2.1");
  CHECK(http_host_header("", "192.0.2.1", false, 8080, false) == "192.0.2.1:8080");
  CHECK(http_host_header("", "2001:db8::1", true, 443, true) == "[2001:db8::1]");
  CHECK(http_host_header("", "2001:db8::1", true, 80, true) == "[2001:db8::1]:80");
  CHECK(http_host_header("www.example.com", "192.0.2.1", false, 81, false) == "www.example.com");
  const unsigned char b[] = {0x00, 0xab, 0x7f};
  CHECK(to_hex(b, 3) == "00ab7f");
}

TEST_CASE("smtp reply: single and multi-line replies, split reads") {
  smtp_reply_reader r;
  CHECK_FALSE(r.feed("220 mail.exa"));
  CHECK(r.feed("mple ESMTP\r\n"));
  CHECK(r.error().empty());
  CHECK(r.reply().code == 220);
  r.next();
  CHECK_FALSE(r.feed("250-first\r\n250-second\r\n"));
  CHECK(r.feed("250 last\r\n"));
  CHECK(r.reply().code == 250);
  CHECK(r.reply().text == "250 last");
  r.next();
  CHECK(r.feed("221\n"));
  CHECK(r.reply().code == 221);
}

TEST_CASE("smtp reply: malformed input ends the reply with an error") {
  smtp_reply_reader r;
  CHECK(r.feed("HTTP/1.1 400 Bad Request\r\n"));
  CHECK_FALSE(r.error().empty());
  smtp_reply_reader s;
  CHECK(s.feed(std::string(5000, 'x')));
  CHECK(s.error() == "SMTP reply line too long");
  smtp_reply_reader t;
  CHECK(t.feed("554 5.7.1 no\r\n"));
  CHECK(t.reply().code == 554);
  // Two replies in one read: the second is kept for next().
  smtp_reply_reader u;
  CHECK(u.feed("220 a\r\n250 b\r\n"));
  CHECK(u.reply().code == 220);
  u.next();
  CHECK(u.feed(""));
  CHECK(u.reply().code == 250);
}

TEST_CASE("http regex: PCRE2 search in the body, options, no_match, offsets") {
  std::string err;
  http_regex_spec s;
  s.pattern = "status: (ok|fine)";
  auto r = http_regex::compile(s, err);
  REQUIRE(bool(r));
  CHECK(r->judge("<p>status: ok</p>").empty());
  CHECK(r->judge("<p>status: BAD</p>") == "regex \"status: (ok|fine)\" not matched");
  s.options = {"caseless"};
  r = http_regex::compile(s, err);
  REQUIRE(bool(r));
  CHECK(r->judge("STATUS: OK").empty());
  s.options.clear();
  s.no_match = true;
  r = http_regex::compile(s, err);
  CHECK(r->judge("status: ok") == "regex \"status: (ok|fine)\" matched (regex_no_match)");
  CHECK(r->judge("status: down").empty());
  // Offsets: the match must start at or after min, at or before max.
  http_regex_spec o;
  o.pattern = "ok";
  o.min_offset = 5;
  r = http_regex::compile(o, err);
  CHECK_FALSE(r->judge("ok.......").empty());
  CHECK(r->judge("......ok").empty());
  o.min_offset.reset();
  o.max_offset = 3;
  r = http_regex::compile(o, err);
  CHECK(r->judge("..ok....").empty());
  CHECK_FALSE(r->judge(".....ok").empty());
  // Refused patterns and options say why.
  http_regex_spec bad;
  bad.pattern = "(unclosed";
  CHECK_FALSE(bool(http_regex::compile(bad, err)));
  CHECK(err.find("regex \"(unclosed\" at 9:") == 0);
  bad.pattern = "x";
  bad.options = {"nonsense"};
  CHECK_FALSE(bool(http_regex::compile(bad, err)));
  CHECK(err == "regex option nonsense unknown");
}

TEST_CASE("http judge: the regex comes after status and digest") {
  std::string err;
  http_expect e;
  http_regex_spec s;
  s.pattern = "^healthy$";
  s.options = {"multiline"};
  e.regex = http_regex::compile(s, err);
  REQUIRE(bool(e.regex));
  CHECK(judge_http(e, 200, "", "a\nhealthy\nb").empty());
  CHECK(judge_http(e, 200, "", "a\nunhealthy\n") == "regex \"^healthy$\" not matched");
  CHECK(judge_http(e, 500, "", "healthy") == "HTTP status 500");
}
