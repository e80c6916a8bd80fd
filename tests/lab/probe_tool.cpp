// probe_tool: runs one health-check probe (kernel/probe_*.hpp) from command-line options
// and prints its probe_result as one JSON line; exit 0 when the check passed, 1 when it
// failed, 2 on bad usage. For the labs (tests/lab/probes_b.sh).
//   probe_tool KIND [--addr A] [--port N] [--timeout SECONDS] [--bindto A] [--bind-port N]
//              [--bind-if IF] [--fwmark N]
//     dns:  --name NAME --type A|NS|CNAME|SOA|MX|TXT|AAAA
//     udp:  --payload HEX --require-reply [--reply HEX(x: any nibble)] --min-len N --max-len N
//     ping: (target only)
//     misc: --path 'COMMAND LINE' --dynamic --user USER [--group GROUP]
//     file: --path FILE --weight N --reverse --dynamic --previous N
//   --parallel N: N copies of the probe at once on the engine's 2 threads; prints one
//   summary line instead (count, ok, failed, reasons, max latency), exit 0 when all were up.
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <iostream>
#include <map>
#include <string>

#include "kernel/probe_dns.hpp"
#include "kernel/probe_file.hpp"
#include "kernel/probe_misc.hpp"
#include "kernel/probe_ping.hpp"
#include "kernel/probe_udp.hpp"
#include "protocol/dns_answer.hpp"

using namespace ka;

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "probe_tool: " << why << "\n";
  std::exit(2);
}

// Pairs of hex digits; x or X: a nibble that matches anything (mask 0).
void hex(const std::string& text, std::vector<std::uint8_t>& bytes, std::vector<std::uint8_t>* mask) {
  auto nib = [&](char c, std::uint8_t& v, std::uint8_t& care) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      v = static_cast<std::uint8_t>(std::stoi(std::string(1, c), nullptr, 16));
      care = 0xf;
    } else if (mask && (c == 'x' || c == 'X')) {
      v = care = 0;
    } else {
      usage("not hex: " + text);
    }
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    std::uint8_t hi = 0, hc = 0xf, lo = 0, lc = 0;
    if (i + 1 < text.size()) {
      nib(text[i], hi, hc);
      nib(text[i + 1], lo, lc);
    } else {
      nib(text[i], lo, lc);
    }
    bytes.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    if (mask)
      mask->push_back(static_cast<std::uint8_t>(hc << 4 | lc));
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2)
    usage("usage: probe_tool dns|udp|ping|misc|file [options]");
  std::string kind = argv[1];
  std::map<std::string, std::string> opt;
  const std::vector<std::string> flags{"--require-reply", "--dynamic", "--reverse"};
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (std::find(flags.begin(), flags.end(), k) != flags.end()) {
      opt[k] = "1";
    } else {
      if (i + 1 >= argc)
        usage(k + " needs a value");
      opt[k] = argv[++i];
    }
  }
  auto get = [&](const std::string& k, const std::string& dflt = "") {
    auto it = opt.find(k);
    return it == opt.end() ? dflt : it->second;
  };
  auto addr_of = [&](const std::string& text) {
    auto a = proto::ip_address::parse(text);
    if (!a)
      usage("not an address: " + text);
    return *a;
  };

  kern::probe_target t;
  if (opt.count("--addr"))
    t.addr = addr_of(get("--addr"));
  t.port = static_cast<std::uint16_t>(std::stoi(get("--port", "0")));
  t.timeout = std::chrono::microseconds(static_cast<long long>(std::stod(get("--timeout", "3")) * 1e6));
  if (opt.count("--bindto"))
    t.bindto = addr_of(get("--bindto"));
  if (opt.count("--bind-port"))
    t.bind_port = static_cast<std::uint16_t>(std::stoi(get("--bind-port")));
  t.bind_if = get("--bind-if");
  t.fwmark = static_cast<std::uint32_t>(std::stoul(get("--fwmark", "0")));

  kern::probe_engine engine(2);
  const int parallel = std::stoi(get("--parallel", "1"));
  if (parallel < 1)
    usage("--parallel needs a positive count");
  std::mutex m;
  std::condition_variable cv;
  std::vector<kern::probe_result> results;
  auto done = [&](kern::probe_result r) {
    std::lock_guard<std::mutex> lock(m);
    results.push_back(std::move(r));
    cv.notify_one();
  };
  for (int copy = 0; copy < parallel; ++copy) {

  if (kind == "dns") {
    kern::dns_probe_spec s;
    s.target = t;
    s.name = get("--name", ".");
    auto type = proto::dns_type_code(get("--type", "SOA"));
    if (!type)
      usage("unknown DNS type " + get("--type"));
    s.type = *type;
    kern::start_dns_probe(engine, s, done);
  } else if (kind == "udp") {
    kern::udp_probe_spec s;
    s.target = t;
    hex(get("--payload"), s.payload, nullptr);
    s.require_reply = opt.count("--require-reply") > 0;
    hex(get("--reply"), s.expect.reply, &s.expect.mask);
    s.expect.min_length = std::stoul(get("--min-len", "0"));
    s.expect.max_length = std::stoul(get("--max-len", "255"));
    kern::start_udp_probe(engine, s, done);
  } else if (kind == "ping") {
    kern::start_ping_probe(engine, kern::ping_probe_spec{t}, done);
  } else if (kind == "misc") {
    kern::misc_probe_spec s;
    s.misc_path = get("--path");
    s.timeout = t.timeout;
    s.dynamic = opt.count("--dynamic") > 0;
    if (opt.count("--user")) {
      std::string err;
      s.user = kern::lookup_credentials(get("--user"), get("--group"), err);
      if (!s.user)
        usage(err);
    }
    kern::start_misc_probe(engine, s, done);
  } else if (kind == "file") {
    kern::file_probe_spec s;
    s.path = get("--path");
    s.weight = std::stoi(get("--weight", "0"));
    s.reverse = opt.count("--reverse") > 0;
    s.dynamic = opt.count("--dynamic") > 0;
    s.previous = std::stoll(get("--previous", "0"));
    kern::start_file_probe(engine, s, done);
  } else {
    usage("unknown kind " + kind);
  }
  }
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return results.size() == static_cast<std::size_t>(parallel); });
  }
  if (parallel > 1) {
    int ok = 0;
    long long max_latency = 0;
    std::map<std::string, int> reasons;
    for (const auto& r : results) {
      ok += r.ok;
      max_latency = std::max<long long>(max_latency, r.latency.count());
      ++reasons[r.reason];
    }
    nlohmann::json j{{"kind", kind}, {"count", parallel}, {"ok", ok}, {"failed", parallel - ok},
                     {"max_latency_us", max_latency}, {"reasons", reasons}};
    std::cout << j.dump() << std::endl;
    return ok == parallel ? 0 : 1;
  }
  const auto& r = results.front();
  nlohmann::json j{{"kind", kind},
                   {"ok", r.ok},
                   {"reason", r.reason},
                   {"latency_us", r.latency.count()},
                   {"weight", r.weight ? nlohmann::json(*r.weight) : nlohmann::json(nullptr)}};
  std::cout << j.dump() << std::endl;
  return r.ok ? 0 : 1;
}
