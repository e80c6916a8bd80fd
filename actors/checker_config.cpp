#include "actors/checker_config.hpp"

#include <boost/asio/ssl/context.hpp>

#include <map>
#include <memory>
#include <mutex>

#include "kernel/probe_http.hpp"
#include "kernel/probe_smtp.hpp"
#include "kernel/probe_tcp.hpp"
#include "kernel/probe_dns.hpp"
#include "kernel/probe_file.hpp"
#include "kernel/probe_misc.hpp"
#include "kernel/probe_ping.hpp"
#include "kernel/probe_udp.hpp"
#include "kernel/process.hpp"
#include "protocol/dns_answer.hpp"

namespace ka::act {

namespace {

using std::chrono::microseconds;
using item = config::check_timers::item;

microseconds us_of(double s) { return microseconds(static_cast<std::int64_t>(s * 1e6 + 0.5)); }

std::optional<double> inherited(const config::virtual_server& vs, const config::real_server& rs,
                                const config::checker& c, item i) {
  if (auto v = c.timers.seconds(i)) return v;
  if (auto v = rs.timers.seconds(i)) return v;
  return vs.timers.seconds(i);
}

std::string address_port(const proto::ip_address& a, int port) {
  auto s = a.to_string();
  return (a.is_v4() ? s : "[" + s + "]") + ":" + std::to_string(port);
}

kern::probe_target target_of(const config::real_server& rs, const config::check_endpoint& ep,
                             microseconds timeout) {
  kern::probe_target t;
  t.addr = ep.connect_ip.value_or(rs.addr);
  t.port = ep.connect_port.value_or(rs.port);
  if (ep.source.present()) {
    t.bindto = ep.source->bindto;
    t.bind_port = ep.source->bind_port;
    t.bind_if = ep.source->bind_if;
  }
  t.fwmark = ep.fwmark.value_or(0);
  t.timeout = timeout;
  return t;
}

// ---- one planner per kind

probe_starter plan_tcp(const checker_context& ctx, std::string&) {
  kern::tcp_probe_spec spec{ctx.target};
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_tcp_probe(e, spec, std::move(cb)); };
}

// SSL_GET contexts are per daemon, not per checker: one context holds the global SSL
// block's files, loaded once.
std::shared_ptr<boost::asio::ssl::context> shared_tls(const config::config& all, std::string& error) {
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> by_files;
  kern::tls_settings s;
  if (all.ssl) s = {all.ssl->ca, all.ssl->certificate, all.ssl->key, all.ssl->password};
  std::lock_guard<std::mutex> lock(m);
  auto key = s.ca + '\n' + s.certificate + '\n' + s.key + '\n' + s.password;
  if (auto it = by_files.find(key); it != by_files.end()) return it->second;
  auto ctx = kern::make_tls_context(s, error);
  if (ctx) by_files[key] = ctx;
  return ctx;
}

template <class Check>
probe_starter plan_http_like(const checker_context& ctx, const Check& h, bool tls, std::string& error) {
  kern::http_probe_spec spec;
  spec.target = ctx.target;
  spec.version = h.http_protocol == config::http_version::v1_1    ? kern::http_proto_version::v1_1
                 : h.http_protocol == config::http_version::v1_0c ? kern::http_proto_version::v1_0c
                                                                  : kern::http_proto_version::v1_0;
  // virtualhost: the url's, else the real server's, else the virtual server's.
  std::string vh = ctx.rs.notes->virtualhost.empty() ? ctx.vs.virtualhost : ctx.rs.notes->virtualhost;
  for (const auto& u : h.urls) {
    kern::http_url_spec us;
    us.path = u.path.empty() ? "/" : u.path;
    us.virtualhost = u.virtualhost.empty() ? vh : u.virtualhost;
    for (const auto& r : u.status_code) us.expect.status.emplace_back(r.first, r.last);
    us.expect.digest = u.digest;
    if (!u.regex.empty()) {
      proto::http_regex_spec rx;
      rx.pattern = u.regex;
      for (int o = 0; o < static_cast<int>(config::regex_option::count_); ++o)
        if (u.regex_options >> o & 1) rx.options.push_back(config::regex_option_name(static_cast<config::regex_option>(o)));
      rx.no_match = u.regex_no_match;
      rx.min_offset = u.regex_min_offset;
      rx.max_offset = u.regex_max_offset;
      us.expect.regex = proto::http_regex::compile(rx, error);
      if (!us.expect.regex) return {};
    }
    spec.urls.push_back(std::move(us));
  }
  if (spec.urls.empty()) {
    kern::http_url_spec us;
    us.virtualhost = vh;
    spec.urls.push_back(us);
  }
  if (tls) {
    spec.tls = shared_tls(ctx.all, error);
    if (!spec.tls) return {};
    spec.enable_sni = h.enable_sni;
  }
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_http_probe(e, spec, std::move(cb)); };
}

probe_starter plan_http(const checker_context& ctx, std::string& error) {
  return plan_http_like(ctx, *ctx.c.as<config::http_check>(), false, error);
}
probe_starter plan_ssl(const checker_context& ctx, std::string& error) {
  return plan_http_like(ctx, *ctx.c.as<config::ssl_check>(), true, error);
}

// SMTP_CHECK: the checker's own address, then each old-style `host { }` block's, in order;
// up when every one answers.
probe_starter plan_smtp(const checker_context& ctx, std::string&) {
  const auto& s = *ctx.c.as<config::smtp_check>();
  std::string helo = s.helo_name.empty() ? ctx.all.global.mail.smtp_helo_name : s.helo_name;
  std::vector<kern::smtp_probe_spec> specs;
  if (s.hosts.empty()) specs.push_back({ctx.target, helo});
  for (const auto& h : s.hosts) specs.push_back({target_of(ctx.rs, h, ctx.target.timeout), helo});
  if (specs.size() == 1)
    return [spec = specs[0]](kern::probe_engine& e, kern::probe_callback cb) { kern::start_smtp_probe(e, spec, std::move(cb)); };
  auto all = std::make_shared<const std::vector<kern::smtp_probe_spec>>(std::move(specs));
  return [all](kern::probe_engine& e, kern::probe_callback cb) {
    // One host after the other; the first failure decides.
    struct chain {
      static void step(kern::probe_engine& e, std::shared_ptr<const std::vector<kern::smtp_probe_spec>> all,
                       std::size_t i, kern::probe_callback cb, std::chrono::microseconds spent) {
        kern::start_smtp_probe(e, (*all)[i], [&e, all, i, cb, spent](kern::probe_result r) {
          r.latency += spent;
          auto host = address_port((*all)[i].target.addr, (*all)[i].target.port);
          if (!r.ok || i + 1 == all->size()) {
            r.reason = host + ": " + r.reason;
            return cb(std::move(r));
          }
          step(e, all, i + 1, cb, r.latency);
        });
      }
    };
    chain::step(e, all, 0, std::move(cb), std::chrono::microseconds(0));
  };
}


// ---- DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK, FILE_CHECK (kernel/probe_dns.cpp, ...)

probe_starter plan_dns(const checker_context& ctx, std::string& error) {
  const auto* d = ctx.c.as<config::dns_check>();
  kern::dns_probe_spec spec;
  spec.target = ctx.target;
  if (!ctx.c.connect_port) spec.target.port = 53;  // the DNS port, whatever the service's
  if (d && !d->name.empty()) spec.name = d->name;
  if (d && d->type != config::dns_type::unset) {
    static const char* names[] = {"", "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA"};
    auto code = proto::dns_type_code(names[static_cast<int>(d->type)]);
    if (!code) {
      error = "DNS_CHECK: unknown type";
      return {};
    }
    spec.type = *code;
  }
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_dns_probe(e, spec, std::move(cb)); };
}

probe_starter plan_udp(const checker_context& ctx, std::string&) {
  const auto* u = ctx.c.as<config::udp_check>();
  kern::udp_probe_spec spec;
  spec.target = ctx.target;
  if (u) {
    spec.payload = u->payload;
    spec.require_reply = u->require_reply;
    spec.expect.reply = u->reply;
    spec.expect.mask = u->reply_mask;
    if (u->min_reply_length) spec.expect.min_length = *u->min_reply_length;
    if (u->max_reply_length) spec.expect.max_length = *u->max_reply_length;
  }
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_udp_probe(e, spec, std::move(cb)); };
}

probe_starter plan_ping(const checker_context& ctx, std::string&) {
  kern::ping_probe_spec spec{ctx.target};
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_ping_probe(e, spec, std::move(cb)); };
}

probe_starter plan_misc(const checker_context& ctx, std::string& error) {
  const auto* m = ctx.c.as<config::misc_check>();
  if (!m || m->misc_path.empty()) {
    error = "MISC_CHECK without misc_path";
    return {};
  }
  kern::misc_probe_spec spec;
  spec.misc_path = m->misc_path;
  // misc_timeout, else keepalived's default: delay_loop
  auto loop = inherited(ctx.vs, ctx.rs, ctx.c, item::delay_loop);
  spec.timeout = us_of(m->misc_timeout.value_or(loop.value_or(60)));
  spec.dynamic = m->misc_dynamic;
  if (!m->user.empty()) {
    // Looked up now, never on an engine thread.
    std::string why;
    spec.user = kern::lookup_credentials(m->user, m->group, why);
    if (!spec.user) {
      error = "MISC_CHECK user " + m->user + ": " + why;
      return {};
    }
  }
  return [spec](kern::probe_engine& e, kern::probe_callback cb) { kern::start_misc_probe(e, spec, std::move(cb)); };
}

probe_starter plan_file(const checker_context& ctx, std::string& error) {
  const auto* f = ctx.c.as<config::file_check>();
  const config::track_file* tf = nullptr;
  if (f)
    for (const auto& t : ctx.all.track_files)
      if (t.name == f->track_file) tf = &t;
  if (!tf) {
    error = "FILE_CHECK: no track_file " + (f ? f->track_file : std::string());
    return {};
  }
  kern::file_probe_spec spec;
  spec.path = tf->file;
  // FILE_CHECK's own weight, else the track_file's (kernel/probe_file.hpp)
  spec.weight = f->weight != 0 ? f->weight : tf->weight;
  spec.reverse = f->reverse || tf->reverse;
  spec.dynamic = f->dynamic;
  // With dynamic the probe gives the change to the real server's weight; the pool takes
  // the new weight (check_report::weight).
  int base = ctx.rs.weight;
  bool dynamic = spec.dynamic;
  return [spec, base, dynamic](kern::probe_engine& e, kern::probe_callback cb) {
    kern::start_file_probe(e, spec, [cb = std::move(cb), base, dynamic](kern::probe_result r) {
      if (dynamic && r.weight) r.weight = base + *r.weight;
      cb(std::move(r));
    });
  };
}

} // namespace

probe_planner planner_for(config::checker_kind k) {
  switch (k) {
    case config::checker_kind::tcp: return plan_tcp;
    case config::checker_kind::http: return plan_http;
    case config::checker_kind::ssl: return plan_ssl;
    case config::checker_kind::smtp: return plan_smtp;
    case config::checker_kind::dns: return plan_dns;
    case config::checker_kind::udp: return plan_udp;
    case config::checker_kind::ping: return plan_ping;
    case config::checker_kind::misc: return plan_misc;
    case config::checker_kind::file: return plan_file;
    default: return nullptr;  // BFD_CHECK: no BFD here
  }
}

proto::checker_timing resolve_timing(const config::virtual_server& vs, const config::real_server& rs,
                                     const config::checker& c) {
  proto::checker_timing t;
  std::string kind = config::checker_kind_name(c.kind());
  if (auto v = inherited(vs, rs, c, item::delay_loop)) t.delay_loop = us_of(*v);
  if (auto v = inherited(vs, rs, c, item::connect_timeout)) t.connect_timeout = us_of(*v);
  t.delay_before_retry = proto::default_delay_before_retry(kind, t.delay_loop);
  if (auto v = inherited(vs, rs, c, item::delay_before_retry)) t.delay_before_retry = us_of(*v);
  t.warmup = t.delay_loop;
  if (auto v = inherited(vs, rs, c, item::warmup)) t.warmup = us_of(*v);
  t.retry = proto::default_retry(kind);
  if (auto v = c.timers.retries()) t.retry = *v;
  else if (auto v = rs.timers.retries()) t.retry = *v;
  else if (auto v = vs.timers.retries()) t.retry = *v;
  auto flag = [&](item i) -> std::optional<bool> {
    if (auto v = c.timers.flag(i)) return v;
    if (auto v = rs.timers.flag(i)) return v;
    return vs.timers.flag(i);
  };
  t.alpha = flag(item::alpha).value_or(false);
  return t;
}

checker_plan plan_checker(const config::config& all, const config::virtual_server& vs,
                          const config::real_server& rs, const config::checker& c) {
  checker_plan p;
  p.kind = config::checker_kind_name(c.kind());
  p.timing = resolve_timing(vs, rs, c);
  checker_context ctx{all, vs, rs, c, target_of(rs, c, p.timing.connect_timeout)};
  p.target = address_port(ctx.target.addr, ctx.target.port);
  auto planner = planner_for(c.kind());
  if (!planner) {
    p.error = "checker kind " + p.kind + " not implemented";
    return p;
  }
  p.start = planner(ctx, p.error);
  if (!p.start && p.error.empty()) p.error = p.kind + ": no probe";
  if (!p.error.empty()) p.start = nullptr;
  return p;
}

} // namespace ka::act
