// protocol/prom_text.hpp and protocol/keepalive_metrics.hpp: the Prometheus text format
// (escaping, families kept together, cumulative histogram buckets, _sum and _count) and the
// series made from a status answer.
#include <doctest/doctest.h>

#include <string>

#include "protocol/keepalive_metrics.hpp"
#include "protocol/prom_text.hpp"

using namespace ka::proto;
using ka::json;

namespace {
bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}
std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}
} // namespace

TEST_CASE("prom: label values escape backslash, quote and newline") {
  CHECK(prom::escape_label_value("VI_1") == "VI_1");
  CHECK(prom::escape_label_value("a\\b") == "a\\\\b");
  CHECK(prom::escape_label_value("say \"hi\"") == "say \\\"hi\\\"");
  CHECK(prom::escape_label_value("two\nlines") == "two\\nlines");
  CHECK(prom::escape_help("a\\b\nc \"q\"") == "a\\\\b\\nc \"q\"");
}

TEST_CASE("prom: valid UTF-8 passes, other bytes become an escaped \\xHH") {
  CHECK(prom::escape_label_value("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(prom::escape_label_value("a\xff" "b") == "a\\\\xffb");
  CHECK(prom::escape_label_value("\xc3") == "\\\\xc3");                 // truncated sequence
  CHECK(prom::escape_label_value("\xc0\xaf") == "\\\\xc0\\\\xaf");      // overlong '/'
  CHECK(prom::escape_label_value("\xed\xa0\x80") == "\\\\xed\\\\xa0\\\\x80");  // a surrogate
  CHECK(prom::escape_label_value("\xf4\x90\x80\x80").substr(0, 5) == "\\\\xf4");  // above U+10FFFF
  CHECK(prom::escape_label_value(std::string("a\tb\x01", 4)) == "a\\\\x09b\\\\x01");
  // Two names that differ only in an invalid byte stay two label values.
  CHECK(prom::escape_label_value("x\xfe") != prom::escape_label_value("x\xff"));
}

TEST_CASE("prom: sample values") {
  CHECK(prom::format_value(0) == "0");
  CHECK(prom::format_value(42) == "42");
  CHECK(prom::format_value(-3) == "-3");
  CHECK(prom::format_value(18446744073709551616.0) == "1.8446744073709552e+19");
  CHECK(prom::format_value(0.0001) == "0.0001");
  CHECK(prom::format_value(2.5e-3) == "0.0025");
  CHECK(prom::format_value(1.0 / 0.0) == "+Inf");
  CHECK(prom::format_value(-1.0 / 0.0) == "-Inf");
  CHECK(prom::format_value(0.0 / 0.0) == "NaN");
}

TEST_CASE("prom: a family's samples stay together under one HELP and TYPE") {
  prom::exposition e;
  e.counter("a_total", "A's help", {{"k", "1"}}, 1);
  e.gauge("b", "B's help", {}, 2);
  e.counter("a_total", "ignored", {{"k", "2"}}, 3);
  e.declare("c", prom::metric_type::gauge, "no samples");
  std::string t = e.text();
  CHECK(t ==
        "# HELP a_total A's help\n# TYPE a_total counter\na_total{k=\"1\"} 1\na_total{k=\"2\"} 3\n"
        "# HELP b B's help\n# TYPE b gauge\nb 2\n"
        "# HELP c no samples\n# TYPE c gauge\n");
}

TEST_CASE("prom: histogram buckets are cumulative, le=+Inf is the count, with _sum and _count") {
  prom::histogram h({0.001, 0.01, 0.1});
  for (double v : {0.0005, 0.001, 0.002, 0.05, 0.05, 7.0})
    h.observe(v);
  CHECK(h.counts == std::vector<std::uint64_t>{2, 1, 2, 1});  // 0.001 falls in le="0.001"
  CHECK(h.count == 6);
  CHECK(h.sum == doctest::Approx(7.1035));
  prom::exposition e;
  e.add_histogram("lat_seconds", "lateness", {{"x", "y"}}, h);
  std::string t = e.text();
  CHECK(has_line(t, "# TYPE lat_seconds histogram"));
  CHECK(has_line(t, "lat_seconds_bucket{x=\"y\",le=\"0.001\"} 2"));
  CHECK(has_line(t, "lat_seconds_bucket{x=\"y\",le=\"0.01\"} 3"));
  CHECK(has_line(t, "lat_seconds_bucket{x=\"y\",le=\"0.1\"} 5"));
  CHECK(has_line(t, "lat_seconds_bucket{x=\"y\",le=\"+Inf\"} 6"));
  CHECK(has_line(t, "lat_seconds_sum{x=\"y\"} 7.1035"));
  CHECK(has_line(t, "lat_seconds_count{x=\"y\"} 6"));
  // Buckets in increasing order of le, before _sum and _count.
  CHECK(t.find("le=\"0.001\"") < t.find("le=\"0.01\""));
  CHECK(t.find("le=\"+Inf\"") < t.find("lat_seconds_sum"));
}

TEST_CASE("metrics: a status answer becomes keepalive_* series") {
  json status = json::parse(R"({
    "ok": true,
    "daemon": {"version": "Keepalive 0.1.0"},
    "instances": [
      {"name": "VI \"1\"\n\u00ff", "state": "MASTER", "interface": "eth0", "vrid": 51,
       "priority": {"configured": 100, "effective": 90}, "master_priority": 90,
       "transitions_to": {"INIT": 0, "BACKUP": 1, "MASTER": 2, "FAULT": 0, "STOP": 0},
       "counters": {"adverts_sent": 10, "adverts_received": 3, "send_errors": 0, "master_down_fired": 1,
                    "bad": {"ttl": 2, "auth": 0}}},
      {"ok": false, "error": "no answer: request_timeout"}
    ],
    "advert": {"lateness_histogram": {"bounds_s": [0.001, 0.01], "counts": [4, 1, 1], "sum_s": 0.5, "count": 6},
               "unattributed_bad": {"vrid": 7}},
    "scripts": {"runs": 5, "failures": 2, "timeouts": 1, "running": 0, "queued": 0},
    "virtual_servers": [
      {"name": "TCP 192.0.2.1:80", "quorum": {"up": true}, "suspended": false,
       "real_servers": [{"address": "198.51.100.1:80", "up": true, "weight": 3, "in_table": true}],
       "checkers": [{"kind": "TCP_CHECK", "real_server": "198.51.100.1:80", "target": "198.51.100.1:80",
                     "state": "up", "checks": 9, "failures": 4},
                    {"ok": false, "error": "no answer"}]}
    ],
    "ipvs": [{"service": "TCP 192.0.2.1:80", "stats": {"conns": 12, "inbytes": 1000, "outbytes": 2000, "inpkts": 5, "outpkts": 6},
              "dests": [{"address": "198.51.100.1:80", "weight": 3, "active_conns": 1, "inactive_conns": 2,
                         "stats": {"conns": 12, "inbytes": 1000, "outbytes": 2000, "inpkts": 5, "outpkts": 6}}]}]
  })");
  std::string t = render_metrics(status, {1.5e9, 4096.0});
  std::string id = "vrrp_instance=\"VI \\\"1\\\"\\n\xc3\xbf\"";
  CHECK(has_line(t, "keepalive_vrrp_state{" + id + ",interface=\"eth0\",vrid=\"51\",state=\"MASTER\"} 1"));
  CHECK(has_line(t, "keepalive_vrrp_state{" + id + ",interface=\"eth0\",vrid=\"51\",state=\"BACKUP\"} 0"));
  CHECK(count_of(t, "keepalive_vrrp_state{") == 5);
  CHECK(has_line(t, "keepalive_vrrp_priority{" + id + "} 100"));
  CHECK(has_line(t, "keepalive_vrrp_effective_priority{" + id + "} 90"));
  CHECK(has_line(t, "keepalive_vrrp_transitions_total{" + id + ",to_state=\"MASTER\"} 2"));
  CHECK(has_line(t, "keepalive_vrrp_adverts_sent_total{" + id + "} 10"));
  CHECK(has_line(t, "keepalive_vrrp_adverts_received_total{" + id + "} 3"));
  CHECK(has_line(t, "keepalive_vrrp_bad_adverts_total{" + id + ",reason=\"ttl\"} 2"));
  CHECK(has_line(t, "keepalive_vrrp_unattributed_bad_adverts_total{reason=\"vrid\"} 7"));
  CHECK(has_line(t, "keepalive_advert_send_lateness_seconds_bucket{le=\"0.01\"} 5"));
  CHECK(has_line(t, "keepalive_advert_send_lateness_seconds_bucket{le=\"+Inf\"} 6"));
  CHECK(has_line(t, "keepalive_advert_send_lateness_seconds_sum 0.5"));
  CHECK(has_line(t, "keepalive_notify_script_runs_total 5"));
  CHECK(has_line(t, "keepalive_notify_script_failures_total 2"));
  std::string ck = "virtual_server=\"TCP 192.0.2.1:80\",real_server=\"198.51.100.1:80\",checker=\"TCP_CHECK\","
                   "target=\"198.51.100.1:80\",index=\"0\"";
  CHECK(has_line(t, "keepalive_lvs_checks_total{" + ck + ",result=\"success\"} 5"));
  CHECK(has_line(t, "keepalive_lvs_checks_total{" + ck + ",result=\"failure\"} 4"));
  CHECK(has_line(t, "keepalive_lvs_checker_up{" + ck + "} 1"));
  CHECK(has_line(t, "keepalive_lvs_real_server_up{virtual_server=\"TCP 192.0.2.1:80\",real_server=\"198.51.100.1:80\"} 1"));
  CHECK(has_line(t, "keepalive_lvs_real_server_weight{virtual_server=\"TCP 192.0.2.1:80\",real_server=\"198.51.100.1:80\"} 3"));
  CHECK(has_line(t, "keepalive_ipvs_service_connections_total{service=\"TCP 192.0.2.1:80\"} 12"));
  CHECK(has_line(t, "keepalive_ipvs_destination_out_bytes_total{service=\"TCP 192.0.2.1:80\",destination=\"198.51.100.1:80\"} 2000"));
  CHECK(has_line(t, "keepalive_ipvs_destination_active_connections{service=\"TCP 192.0.2.1:80\",destination=\"198.51.100.1:80\"} 1"));
  CHECK(has_line(t, "keepalive_status_unanswered 2"));  // one instance, one checker
  CHECK(has_line(t, "keepalive_process_start_time_seconds 1500000000"));
  CHECK(has_line(t, "keepalive_process_resident_memory_bytes 4096"));
  CHECK(has_line(t, "keepalive_build_info{version=\"Keepalive 0.1.0\"} 1"));
  // Each family once, every sample line under its own family's TYPE line.
  CHECK(count_of(t, "# TYPE keepalive_vrrp_state gauge\n") == 1);
  CHECK(count_of(t, "# TYPE keepalive_lvs_checks_total counter\n") == 1);
}

TEST_CASE("metrics: a status with nothing answering still renders, counting what is missing") {
  json status = json::parse(R"({"instances": [], "advert": {"ok": false, "error": "x"},
                                "scripts": {"ok": false, "error": "x"}, "virtual_servers": []})");
  std::string t = render_metrics(status, {});
  CHECK(has_line(t, "keepalive_status_unanswered 2"));
  CHECK(t.find("keepalive_vrrp_state") == std::string::npos);
  CHECK(t.find("keepalive_process_") == std::string::npos);
}
