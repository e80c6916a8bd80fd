// IPVS generic-netlink messages (kernel/ipvs_msg.hpp): what each request carries, attribute by
// attribute, in the kernel's encoding (linux/ip_vs.h), and that every value parses back.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>

#include <cstring>
#include <map>

#include "kernel/ipvs.hpp"
#include "kernel/ipvs_msg.hpp"

using namespace ka;
using proto::ip_address;
namespace m = kern::ipvs_msg;

namespace {

using payload = std::vector<std::uint8_t>;
using attr_map = std::map<int, payload>;

ip_address ip(const char* s) { return *ip_address::parse(s); }

payload bytes_of(const nlattr* a) {
  auto* p = static_cast<const std::uint8_t*>(mnl_attr_get_payload(a));
  return payload(p, p + mnl_attr_get_payload_len(a));
}

int into_map(const nlattr* a, void* data) {
  (*static_cast<attr_map*>(data))[mnl_attr_get_type(a)] = bytes_of(a);
  return MNL_CB_OK;
}

attr_map top_attrs(const m::bytes& b) {
  attr_map r;
  mnl_attr_parse(m::header(b), sizeof(genlmsghdr), into_map, &r);
  return r;
}

// The attributes inside the top-level nest `type` (IPVS_CMD_ATTR_SERVICE, _DEST, _DAEMON).
attr_map nest_attrs(const m::bytes& b, int type) {
  struct ctx_t {
    int type;
    attr_map r;
  } ctx{type, {}};
  mnl_attr_parse(m::header(b), sizeof(genlmsghdr), [](const nlattr* a, void* data) {
    auto* c = static_cast<ctx_t*>(data);
    if (mnl_attr_get_type(a) == c->type)
      mnl_attr_parse_nested(a, into_map, &c->r);
    return MNL_CB_OK;
  }, &ctx);
  return ctx.r;
}

std::uint16_t u16(const payload& p) { std::uint16_t v; std::memcpy(&v, p.data(), 2); return v; }
std::uint32_t u32(const payload& p) { std::uint32_t v; std::memcpy(&v, p.data(), 4); return v; }
std::string str(const payload& p) { return std::string(reinterpret_cast<const char*>(p.data())); }

proto::ipvs_op make_op(proto::ipvs_op::kind k, const proto::ipvs_service& s, const proto::ipvs_dest& d = {}) {
  proto::ipvs_op o;
  o.what = k;
  o.service = s;
  o.dest = d;
  return o;
}

proto::ipvs_service tcp_service(const char* addr, std::uint16_t port, const char* sched = "wlc") {
  proto::ipvs_service s;
  s.key.addr = ip(addr);
  s.key.fam = s.key.addr.fam;
  s.key.protocol = proto::ipvs_protocol::tcp;
  s.key.port = port;
  s.scheduler = sched;
  return s;
}

// A kernel-style reply: one genetlink message of `cmd` whose body `fill` writes.
template <class F>
m::bytes reply(std::uint8_t cmd, F&& fill) {
  alignas(nlmsghdr) static std::uint8_t buf[4096];
  std::memset(buf, 0, sizeof buf);
  auto* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = 0x20;
  auto* g = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  g->cmd = cmd;
  fill(nlh);
  return m::bytes(buf, buf + nlh->nlmsg_len);
}

} // namespace

TEST_CASE("ipvs msg: CTRL_CMD_GETFAMILY asks nlctrl for \"IPVS\", and its answer gives the id") {
  auto b = m::get_family(7);
  auto* nlh = m::header(b);
  CHECK(nlh->nlmsg_type == GENL_ID_CTRL);
  CHECK(nlh->nlmsg_seq == 7);
  CHECK(nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
  CHECK(m::command(nlh) == CTRL_CMD_GETFAMILY);
  auto a = top_attrs(b);
  REQUIRE(a.count(CTRL_ATTR_FAMILY_NAME));
  CHECK(str(a[CTRL_ATTR_FAMILY_NAME]) == "IPVS");
  CHECK_FALSE(m::family_id(nlh));  // a request has no id
  auto r = reply(CTRL_CMD_NEWFAMILY, [](nlmsghdr* n) {
    mnl_attr_put_strz(n, CTRL_ATTR_FAMILY_NAME, "IPVS");
    mnl_attr_put_u16(n, CTRL_ATTR_FAMILY_ID, 0x1d);
  });
  CHECK(m::family_id(m::header(r)) == std::optional<std::uint16_t>(0x1d));
}

TEST_CASE("ipvs msg: add service, attribute by attribute (IPv4 TCP, persistent, /24 granularity)") {
  auto s = tcp_service("192.0.2.10", 8080, "rr");
  s.flags = proto::ipvs_svc_flag::persistent | proto::ipvs_svc_flag::hashed;  // hashed: never sent
  s.timeout = 300;
  s.netmask = 0xffffff00;
  auto b = m::op(0x1d, 42, make_op(proto::ipvs_op::kind::add_service, s));
  auto* nlh = m::header(b);
  CHECK(nlh->nlmsg_type == 0x1d);
  CHECK(nlh->nlmsg_seq == 42);
  CHECK(nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
  CHECK(m::command(nlh) == IPVS_CMD_NEW_SERVICE);
  CHECK(static_cast<const genlmsghdr*>(mnl_nlmsg_get_payload(nlh))->version == IPVS_GENL_VERSION);
  auto a = nest_attrs(b, IPVS_CMD_ATTR_SERVICE);
  CHECK(u16(a[IPVS_SVC_ATTR_AF]) == AF_INET);
  CHECK(u16(a[IPVS_SVC_ATTR_PROTOCOL]) == IPPROTO_TCP);
  REQUIRE(a[IPVS_SVC_ATTR_ADDR].size() == 16);  // union nf_inet_addr
  CHECK(a[IPVS_SVC_ATTR_ADDR] == payload{192, 0, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(u16(a[IPVS_SVC_ATTR_PORT]) == htons(8080));
  CHECK(a.count(IPVS_SVC_ATTR_FWMARK) == 0);
  CHECK(str(a[IPVS_SVC_ATTR_SCHED_NAME]) == "rr");
  CHECK(a.count(IPVS_SVC_ATTR_PE_NAME) == 0);
  REQUIRE(a[IPVS_SVC_ATTR_FLAGS].size() == 8);  // struct ip_vs_flags { flags, mask }
  CHECK(u32(a[IPVS_SVC_ATTR_FLAGS]) == IP_VS_SVC_F_PERSISTENT);
  CHECK(u32(payload(a[IPVS_SVC_ATTR_FLAGS].begin() + 4, a[IPVS_SVC_ATTR_FLAGS].end())) == 0xffffffffu);
  CHECK(u32(a[IPVS_SVC_ATTR_TIMEOUT]) == 300);
  CHECK(a[IPVS_SVC_ATTR_NETMASK] == payload{255, 255, 255, 0});  // network order
  // The same attributes parse back into the service (without the kernel's hashed flag).
  auto back = m::service(nlh);
  REQUIRE(back);
  s.flags = proto::ipvs_svc_flag::persistent;
  CHECK(back->service == s);
  CHECK(back->dests.empty());
}

TEST_CASE("ipvs msg: services of every kind round-trip") {
  std::vector<proto::ipvs_service> all;
  auto v6 = tcp_service("2001:db8::10", 443, "sh");
  v6.key.protocol = proto::ipvs_protocol::udp;
  v6.flags = proto::ipvs_svc_flag::sched1 | proto::ipvs_svc_flag::sched2;  // sh-fallback, sh-port
  all.push_back(v6);
  auto sctp = tcp_service("198.51.100.7", 3868, "mh");
  sctp.key.protocol = proto::ipvs_protocol::sctp;
  sctp.flags = proto::ipvs_svc_flag::onepacket | proto::ipvs_svc_flag::sched1;
  all.push_back(sctp);
  auto pers6 = tcp_service("2001:db8::20", 80, "lblcr");
  pers6.flags = proto::ipvs_svc_flag::persistent;
  pers6.timeout = 1800;
  pers6.netmask = 64;  // IPv6: a prefix length
  all.push_back(pers6);
  auto sip = tcp_service("203.0.113.5", 5060, "rr");
  sip.key.protocol = proto::ipvs_protocol::udp;
  sip.flags = proto::ipvs_svc_flag::persistent;
  sip.timeout = 60;
  sip.pe_name = "sip";
  all.push_back(sip);
  proto::ipvs_service fw4;
  fw4.key.protocol = proto::ipvs_protocol::none;
  fw4.key.fwmark = 7;
  fw4.scheduler = "wrr";
  all.push_back(fw4);
  auto fw6 = fw4;
  fw6.key.fam = ip_address::family::v6;
  fw6.key.addr.fam = ip_address::family::v6;
  fw6.key.fwmark = 0xfffffffe;
  fw6.scheduler = "twos";
  fw6.flags = proto::ipvs_svc_flag::sched3;
  all.push_back(fw6);
  for (const auto& s : all) {
    CAPTURE(s.key.to_string());
    for (auto k : {proto::ipvs_op::kind::add_service, proto::ipvs_op::kind::edit_service}) {
      auto b = m::op(3, 1, make_op(k, s));
      CHECK(m::command(m::header(b)) == (k == proto::ipvs_op::kind::add_service ? IPVS_CMD_NEW_SERVICE
                                                                                 : IPVS_CMD_SET_SERVICE));
      auto back = m::service(m::header(b));
      REQUIRE(back);
      CHECK(back->service == s);
    }
  }
}

TEST_CASE("ipvs msg: fwmark and IPv6 services carry what the kernel expects") {
  proto::ipvs_service fw;
  fw.key.fam = ip_address::family::v6;
  fw.key.protocol = proto::ipvs_protocol::none;
  fw.key.fwmark = 9;
  auto a = nest_attrs(m::op(3, 1, make_op(proto::ipvs_op::kind::add_service, fw)), IPVS_CMD_ATTR_SERVICE);
  CHECK(u16(a[IPVS_SVC_ATTR_AF]) == AF_INET6);
  CHECK(u32(a[IPVS_SVC_ATTR_FWMARK]) == 9);
  CHECK(a.count(IPVS_SVC_ATTR_PROTOCOL) == 0);
  CHECK(a.count(IPVS_SVC_ATTR_ADDR) == 0);
  CHECK(a.count(IPVS_SVC_ATTR_PORT) == 0);
  // The default all-ones granularity is "the whole address": prefix 128 for IPv6 (the
  // kernel refuses anything outside 1..128).
  CHECK(u32(a[IPVS_SVC_ATTR_NETMASK]) == 128);
  auto v6 = tcp_service("2001:db8::1", 80);
  v6.netmask = 48;
  a = nest_attrs(m::op(3, 1, make_op(proto::ipvs_op::kind::add_service, v6)), IPVS_CMD_ATTR_SERVICE);
  CHECK(a[IPVS_SVC_ATTR_ADDR] == payload{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  CHECK(u32(a[IPVS_SVC_ATTR_NETMASK]) == 48);
}

TEST_CASE("ipvs msg: delete service and dumps carry the key only") {
  auto s = tcp_service("192.0.2.1", 80, "rr");
  s.pe_name = "sip";
  auto del = m::op(3, 5, make_op(proto::ipvs_op::kind::del_service, s));
  CHECK(m::command(m::header(del)) == IPVS_CMD_DEL_SERVICE);
  auto a = nest_attrs(del, IPVS_CMD_ATTR_SERVICE);
  CHECK(a.size() == 4);  // AF, PROTOCOL, ADDR, PORT
  CHECK(a.count(IPVS_SVC_ATTR_SCHED_NAME) == 0);
  auto ds = m::dump_services(3, 6);
  CHECK(m::header(ds)->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP));
  CHECK(m::command(m::header(ds)) == IPVS_CMD_GET_SERVICE);
  CHECK(top_attrs(ds).empty());
  auto dd = m::dump_dests(3, 7, s.key);
  CHECK(m::header(dd)->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP));
  CHECK(m::command(m::header(dd)) == IPVS_CMD_GET_DEST);
  a = nest_attrs(dd, IPVS_CMD_ATTR_SERVICE);
  CHECK(a.size() == 4);
  CHECK(u16(a[IPVS_SVC_ATTR_PORT]) == htons(80));
  // One service by its key (what a pool reads back): acknowledged, not a dump.
  auto gs = m::get_service(3, 8, s.key);
  CHECK(m::header(gs)->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
  CHECK(m::header(gs)->nlmsg_seq == 8);
  CHECK(m::command(m::header(gs)) == IPVS_CMD_GET_SERVICE);
  a = nest_attrs(gs, IPVS_CMD_ATTR_SERVICE);
  CHECK(a.size() == 4);
  CHECK(u16(a[IPVS_SVC_ATTR_PORT]) == htons(80));
  CHECK(u16(a[IPVS_SVC_ATTR_PROTOCOL]) == IPPROTO_TCP);
}

TEST_CASE("ipvs msg: destinations, attribute by attribute") {
  auto s = tcp_service("192.0.2.1", 80, "wrr");
  proto::ipvs_dest d;
  d.addr = ip("203.0.113.2");
  d.port = 8080;
  d.forward = proto::ipvs_forward::masq;
  d.weight = 3;
  d.u_threshold = 100;
  d.l_threshold = 10;
  auto b = m::op(3, 9, make_op(proto::ipvs_op::kind::add_dest, s, d));
  CHECK(m::command(m::header(b)) == IPVS_CMD_NEW_DEST);
  auto sv = nest_attrs(b, IPVS_CMD_ATTR_SERVICE);
  CHECK(sv.size() == 4);  // the service by its key only
  auto a = nest_attrs(b, IPVS_CMD_ATTR_DEST);
  CHECK(u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]) == AF_INET);
  CHECK(a[IPVS_DEST_ATTR_ADDR] == payload{203, 0, 113, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(u16(a[IPVS_DEST_ATTR_PORT]) == htons(8080));
  CHECK(u32(a[IPVS_DEST_ATTR_FWD_METHOD]) == IP_VS_CONN_F_MASQ);
  CHECK(u32(a[IPVS_DEST_ATTR_WEIGHT]) == 3);
  CHECK(u32(a[IPVS_DEST_ATTR_U_THRESH]) == 100);
  CHECK(u32(a[IPVS_DEST_ATTR_L_THRESH]) == 10);
  CHECK(a.count(IPVS_DEST_ATTR_TUN_TYPE) == 0);  // not a tunnel: an old kernel never sees them
  auto back = m::dest(m::header(b), ip_address::family::v4);
  REQUIRE(back);
  CHECK(back->dest == d);

  // Delete: address and port only.
  auto del = m::op(3, 10, make_op(proto::ipvs_op::kind::del_dest, s, d));
  CHECK(m::command(m::header(del)) == IPVS_CMD_DEL_DEST);
  a = nest_attrs(del, IPVS_CMD_ATTR_DEST);
  CHECK(a.size() == 3);
  CHECK(a.count(IPVS_DEST_ATTR_WEIGHT) == 0);
}

TEST_CASE("ipvs msg: tunnel destinations carry type, port and flags; every kind round-trips") {
  auto s = tcp_service("192.0.2.1", 80, "rr");
  proto::ipvs_dest gue;
  gue.addr = ip("198.51.100.9");
  gue.port = 80;
  gue.forward = proto::ipvs_forward::tunnel;
  gue.tun_type = proto::ipvs_tunnel::gue;
  gue.tun_port = 6080;
  gue.tun_flags = proto::ipvs_tun_flag::csum;
  auto a = nest_attrs(m::op(3, 1, make_op(proto::ipvs_op::kind::add_dest, s, gue)), IPVS_CMD_ATTR_DEST);
  CHECK(u32(a[IPVS_DEST_ATTR_FWD_METHOD]) == IP_VS_CONN_F_TUNNEL);
  CHECK(a[IPVS_DEST_ATTR_TUN_TYPE] == payload{IP_VS_CONN_F_TUNNEL_TYPE_GUE});
  CHECK(u16(a[IPVS_DEST_ATTR_TUN_PORT]) == htons(6080));
  CHECK(u16(a[IPVS_DEST_ATTR_TUN_FLAGS]) == IP_VS_TUNNEL_ENCAP_FLAG_CSUM);

  std::vector<proto::ipvs_dest> all{gue};
  auto gre = gue;
  gre.tun_type = proto::ipvs_tunnel::gre;
  gre.tun_port = 0;
  gre.tun_flags = proto::ipvs_tun_flag::remcsum;
  all.push_back(gre);
  auto ipip6 = gue;  // an IPv6 real server behind an IPv4 service: tunnels only
  ipip6.addr = ip("2001:db8::9");
  ipip6.tun_type = proto::ipvs_tunnel::ipip;
  ipip6.tun_port = 0;
  ipip6.tun_flags = 0;
  all.push_back(ipip6);
  proto::ipvs_dest dr;
  dr.addr = ip("192.0.2.33");
  dr.forward = proto::ipvs_forward::route;
  dr.weight = 0;
  all.push_back(dr);
  auto local = dr;
  local.forward = proto::ipvs_forward::local;
  local.weight = 65535;
  all.push_back(local);
  for (const auto& d : all) {
    CAPTURE(d.addr.to_string());
    for (auto k : {proto::ipvs_op::kind::add_dest, proto::ipvs_op::kind::edit_dest}) {
      auto b = m::op(3, 1, make_op(k, s, d));
      CHECK(m::command(m::header(b)) == (k == proto::ipvs_op::kind::add_dest ? IPVS_CMD_NEW_DEST : IPVS_CMD_SET_DEST));
      auto back = m::dest(m::header(b), ip_address::family::v4);
      REQUIRE(back);
      CHECK(back->dest == d);
    }
  }
}

TEST_CASE("ipvs msg: a kernel's service reply: counters, 64-bit ones first, hashed flag dropped") {
  auto svc = [](bool with64) {
    return reply(IPVS_CMD_NEW_SERVICE, [&](nlmsghdr* n) {
      auto* nest = mnl_attr_nest_start(n, IPVS_CMD_ATTR_SERVICE);
      mnl_attr_put_u16(n, IPVS_SVC_ATTR_AF, AF_INET);
      mnl_attr_put_u16(n, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_UDP);
      std::uint8_t addr[16] = {198, 51, 100, 1};
      mnl_attr_put(n, IPVS_SVC_ATTR_ADDR, sizeof addr, addr);
      mnl_attr_put_u16(n, IPVS_SVC_ATTR_PORT, htons(53));
      mnl_attr_put_strz(n, IPVS_SVC_ATTR_SCHED_NAME, "lc");
      std::uint32_t flags[2] = {IP_VS_SVC_F_HASHED | IP_VS_SVC_F_ONEPACKET, 0xffffffffu};
      mnl_attr_put(n, IPVS_SVC_ATTR_FLAGS, sizeof flags, flags);
      mnl_attr_put_u32(n, IPVS_SVC_ATTR_TIMEOUT, 0);
      mnl_attr_put_u32(n, IPVS_SVC_ATTR_NETMASK, 0xffffffffu);
      auto* st = mnl_attr_nest_start(n, IPVS_SVC_ATTR_STATS);  // 32-bit, bytes 64-bit
      mnl_attr_put_u32(n, IPVS_STATS_ATTR_CONNS, 5);
      mnl_attr_put_u32(n, IPVS_STATS_ATTR_INPKTS, 6);
      mnl_attr_put_u32(n, IPVS_STATS_ATTR_OUTPKTS, 7);
      mnl_attr_put_u64(n, IPVS_STATS_ATTR_INBYTES, 8);
      mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTBYTES, 9);
      mnl_attr_put_u32(n, IPVS_STATS_ATTR_CPS, 1);
      mnl_attr_nest_end(n, st);
      if (with64) {
        st = mnl_attr_nest_start(n, IPVS_SVC_ATTR_STATS64);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_CONNS, 5000000000ull);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_INPKTS, 11);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTPKTS, 12);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_INBYTES, 13);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTBYTES, 14);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_CPS, 15);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_INPPS, 16);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTPPS, 17);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_INBPS, 18);
        mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTBPS, 19);
        mnl_attr_nest_end(n, st);
      }
      mnl_attr_nest_end(n, nest);
    });
  };
  auto old = m::service(m::header(svc(false)));
  REQUIRE(old);
  CHECK(old->service.key.to_string() == "UDP 198.51.100.1:53");
  CHECK(old->service.scheduler == "lc");
  CHECK(old->service.flags == proto::ipvs_svc_flag::onepacket);
  CHECK(old->service.netmask == 0xffffffffu);
  CHECK(old->stats.conns == 5);
  CHECK(old->stats.inpkts == 6);
  CHECK(old->stats.outpkts == 7);
  CHECK(old->stats.inbytes == 8);
  CHECK(old->stats.outbytes == 9);
  CHECK(old->stats.cps == 1);
  auto now = m::service(m::header(svc(true)));
  REQUIRE(now);
  CHECK(now->stats.conns == 5000000000ull);
  CHECK(now->stats.inpkts == 11);
  CHECK(now->stats.outpkts == 12);
  CHECK(now->stats.inbytes == 13);
  CHECK(now->stats.outbytes == 14);
  CHECK(now->stats.cps == 15);
  CHECK(now->stats.inpps == 16);
  CHECK(now->stats.outpps == 17);
  CHECK(now->stats.inbps == 18);
  CHECK(now->stats.outbps == 19);
}

TEST_CASE("ipvs msg: a kernel's destination reply: connections, counters, the service's family by default") {
  auto r = reply(IPVS_CMD_NEW_DEST, [](nlmsghdr* n) {
    auto* nest = mnl_attr_nest_start(n, IPVS_CMD_ATTR_DEST);
    std::uint8_t addr[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42};
    mnl_attr_put(n, IPVS_DEST_ATTR_ADDR, sizeof addr, addr);  // no ADDR_FAMILY: an old kernel
    mnl_attr_put_u16(n, IPVS_DEST_ATTR_PORT, htons(80));
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_DROUTE);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_WEIGHT, 2);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_U_THRESH, 0);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_L_THRESH, 0);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_ACTIVE_CONNS, 21);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_INACT_CONNS, 22);
    mnl_attr_put_u32(n, IPVS_DEST_ATTR_PERSIST_CONNS, 23);
    // A kernel >= 5.2 reports tunnel settings for every destination: meaningless for DR.
    mnl_attr_put_u8(n, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
    auto* st = mnl_attr_nest_start(n, IPVS_DEST_ATTR_STATS64);
    mnl_attr_put_u64(n, IPVS_STATS_ATTR_CONNS, 31);
    mnl_attr_put_u64(n, IPVS_STATS_ATTR_OUTBYTES, 32);
    mnl_attr_nest_end(n, st);
    mnl_attr_nest_end(n, nest);
  });
  auto d = m::dest(m::header(r), ip_address::family::v6);
  REQUIRE(d);
  CHECK(d->dest.addr == ip("2001:db8::42"));
  CHECK(d->dest.port == 80);
  CHECK(d->dest.forward == proto::ipvs_forward::route);
  CHECK(d->dest.weight == 2);
  CHECK(d->dest.tun_type == proto::ipvs_tunnel::ipip);
  CHECK(d->active_conns == 21);
  CHECK(d->inactive_conns == 22);
  CHECK(d->persist_conns == 23);
  CHECK(d->stats.conns == 31);
  CHECK(d->stats.outbytes == 32);
}

TEST_CASE("ipvs msg: malformed replies are refused with a reason") {
  std::string err;
  auto none = reply(IPVS_CMD_NEW_SERVICE, [](nlmsghdr*) {});
  CHECK_FALSE(m::service(m::header(none), &err));
  CHECK(err == "no service attribute");
  auto bad_af = reply(IPVS_CMD_NEW_SERVICE, [](nlmsghdr* n) {
    auto* nest = mnl_attr_nest_start(n, IPVS_CMD_ATTR_SERVICE);
    mnl_attr_put_u16(n, IPVS_SVC_ATTR_AF, 99);
    mnl_attr_nest_end(n, nest);
  });
  CHECK_FALSE(m::service(m::header(bad_af), &err));
  CHECK(err == "service without a known address family");
  auto no_port = reply(IPVS_CMD_NEW_SERVICE, [](nlmsghdr* n) {
    auto* nest = mnl_attr_nest_start(n, IPVS_CMD_ATTR_SERVICE);
    mnl_attr_put_u16(n, IPVS_SVC_ATTR_AF, AF_INET);
    mnl_attr_put_u16(n, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
    std::uint8_t addr[2] = {1, 2};  // too short for an address
    mnl_attr_put(n, IPVS_SVC_ATTR_ADDR, sizeof addr, addr);
    mnl_attr_nest_end(n, nest);
  });
  CHECK_FALSE(m::service(m::header(no_port), &err));
  CHECK_FALSE(m::dest(m::header(none), ip_address::family::v4, &err));
  CHECK(err == "no destination attribute");
}

TEST_CASE("ipvs msg: timeouts and sync daemons round-trip") {
  m::timeouts t{900, 120, 300};
  auto b = m::set_timeouts(3, 1, t);
  CHECK(m::command(m::header(b)) == IPVS_CMD_SET_CONFIG);
  auto a = top_attrs(b);
  CHECK(u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP]) == 900);
  CHECK(u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]) == 120);
  CHECK(u32(a[IPVS_CMD_ATTR_TIMEOUT_UDP]) == 300);
  CHECK(m::parse_timeouts(m::header(b)) == std::optional(t));
  // 0: unchanged, so not sent (the kernel would set 0).
  CHECK(top_attrs(m::set_timeouts(3, 1, m::timeouts{0, 0, 30})).size() == 1);
  CHECK(m::command(m::header(m::get_timeouts(3, 1))) == IPVS_CMD_GET_CONFIG);

  m::sync_daemon d;
  d.state = IP_VS_STATE_BACKUP;
  d.ifname = "eth1";
  d.sync_id = 51;
  d.maxlen = 1400;
  d.group = ip("239.255.1.2");
  d.port = 8850;
  d.ttl = 3;
  b = m::new_daemon(3, 1, d);
  CHECK(m::command(m::header(b)) == IPVS_CMD_NEW_DAEMON);
  a = nest_attrs(b, IPVS_CMD_ATTR_DAEMON);
  CHECK(u32(a[IPVS_DAEMON_ATTR_STATE]) == IP_VS_STATE_BACKUP);
  CHECK(str(a[IPVS_DAEMON_ATTR_MCAST_IFN]) == "eth1");
  CHECK(u32(a[IPVS_DAEMON_ATTR_SYNC_ID]) == 51);
  CHECK(u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]) == 1400);
  CHECK(a[IPVS_DAEMON_ATTR_MCAST_GROUP] == payload{239, 255, 1, 2});
  CHECK(u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]) == 8850);  // host order, unlike the others
  CHECK(a[IPVS_DAEMON_ATTR_MCAST_TTL] == payload{3});
  CHECK(m::parse_daemon(m::header(b)) == std::optional(d));
  d.group = ip("ff05::1:2");
  CHECK(m::parse_daemon(m::header(m::new_daemon(3, 1, d))) == std::optional(d));
  a = nest_attrs(m::del_daemon(3, 1, IP_VS_STATE_MASTER), IPVS_CMD_ATTR_DAEMON);
  CHECK(a.size() == 1);
  CHECK(u32(a[IPVS_DAEMON_ATTR_STATE]) == IP_VS_STATE_MASTER);
  CHECK(m::header(m::dump_daemons(3, 1))->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP));
}

TEST_CASE("ipvs errors name the op, the service, the destination and what the errno means") {
  auto s = tcp_service("192.0.2.1", 80);
  proto::ipvs_dest d;
  d.addr = ip("2001:db8::2");
  d.port = 8080;
  CHECK(kern::describe_ipvs_failure(make_op(proto::ipvs_op::kind::add_service, s), EEXIST) ==
        "add service TCP 192.0.2.1:80: File exists (service already exists)");
  CHECK(kern::describe_ipvs_failure(make_op(proto::ipvs_op::kind::add_dest, s, d), EEXIST) ==
        "add dest [2001:db8::2]:8080 to TCP 192.0.2.1:80: File exists (destination already exists)");
  CHECK(kern::describe_ipvs_failure(make_op(proto::ipvs_op::kind::del_dest, s, d), ESRCH) ==
        "delete dest [2001:db8::2]:8080 of TCP 192.0.2.1:80: No such process (no such service)");
  CHECK(kern::describe_ipvs_failure(make_op(proto::ipvs_op::kind::add_service, s), ENOENT) ==
        "add service TCP 192.0.2.1:80: No such file or directory (scheduler or persistence engine not found)");
  CHECK(kern::describe_ipvs_failure(make_op(proto::ipvs_op::kind::edit_service, s), EINVAL) ==
        "edit service TCP 192.0.2.1:80: Invalid argument");
}
