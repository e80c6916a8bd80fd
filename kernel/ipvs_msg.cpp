#include "kernel/ipvs_msg.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>

#include <cstring>

namespace ka::kern::ipvs_msg {
namespace {

using proto::ip_address;

// Every IPVS request is far below this (a dest op is ~150 bytes).
constexpr std::size_t k_max_request = 1024;

// The kernel's struct ip_vs_flags: the flags, and which of them to change.
struct ipvs_flags {
  std::uint32_t flags, mask;
};

struct builder {
  alignas(nlmsghdr) std::uint8_t buf[k_max_request]{};
  nlmsghdr* nlh;
  builder(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, std::uint8_t cmd, std::uint8_t version) {
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    auto* g = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
    g->cmd = cmd;
    g->version = version;
  }
  bytes done() const { return bytes(buf, buf + nlh->nlmsg_len); }
};

int af_of(ip_address::family f) { return f == ip_address::family::v4 ? AF_INET : AF_INET6; }

// union nf_inet_addr: 16 bytes, an IPv4 address in the first four.
void put_addr(nlmsghdr* nlh, std::uint16_t type, const ip_address& a) {
  std::uint8_t raw[16]{};
  std::memcpy(raw, a.bytes.data(), a.size());
  mnl_attr_put(nlh, type, sizeof raw, raw);
}

// The service's identity, which every service and dest request carries.
void put_service_key(nlmsghdr* nlh, const proto::ipvs_service_key& k) {
  mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(af_of(k.fam)));
  if (k.by_fwmark()) {
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, k.fwmark);
  } else {
    mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, static_cast<std::uint16_t>(k.protocol));
    put_addr(nlh, IPVS_SVC_ATTR_ADDR, k.addr);
    mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(k.port));
  }
}

void put_service(nlmsghdr* nlh, const proto::ipvs_service& s, bool full) {
  auto* nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
  put_service_key(nlh, s.key);
  if (full) {  // the kernel wants all four on an add or an edit
    mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, s.scheduler.c_str());
    if (!s.pe_name.empty())
      mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_PE_NAME, s.pe_name.c_str());
    // Every flag is ours to set (mask all ones), except `hashed`, which is the kernel's.
    ipvs_flags f{s.flags & ~proto::ipvs_svc_flag::hashed, 0xffffffffu};
    mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof f, &f);
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, s.timeout);
    // IPv4: the mask in network order. IPv6: a prefix length (1..128), where our default
    // all-ones mask means the whole address.
    std::uint32_t nm = s.key.fam == ip_address::family::v4 ? htonl(s.netmask)
                       : s.netmask == 0xffffffffu                ? 128u
                                                                 : s.netmask;
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, nm);
  }
  mnl_attr_nest_end(nlh, nest);
}

void put_dest(nlmsghdr* nlh, const proto::ipvs_dest& d, bool full) {
  auto* nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
  mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, static_cast<std::uint16_t>(af_of(d.addr.fam)));
  put_addr(nlh, IPVS_DEST_ATTR_ADDR, d.addr);
  mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(d.port));
  if (full) {
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, static_cast<std::uint32_t>(d.forward));
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, static_cast<std::uint32_t>(d.weight));
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, d.u_threshold);
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, d.l_threshold);
    // Only tunnels have these (kernel >= 5.2): an older kernel never sees them otherwise.
    if (d.forward == proto::ipvs_forward::tunnel) {
      mnl_attr_put_u8(nlh, IPVS_DEST_ATTR_TUN_TYPE, static_cast<std::uint8_t>(d.tun_type));
      mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_PORT, htons(d.tun_port));
      mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_FLAGS, d.tun_flags);
    }
  }
  mnl_attr_nest_end(nlh, nest);
}

// ---- reading ----

// Attributes by type; types beyond `max` (a newer kernel's) are skipped.
struct attrs {
  std::vector<const nlattr*> at;
  explicit attrs(int max) : at(static_cast<std::size_t>(max) + 1, nullptr) {}
  const nlattr* operator[](int t) const { return at[static_cast<std::size_t>(t)]; }
};

int collect(const nlattr* a, void* data) {
  auto* t = static_cast<attrs*>(data);
  int type = mnl_attr_get_type(a);
  if (type >= 0 && static_cast<std::size_t>(type) < t->at.size())
    t->at[static_cast<std::size_t>(type)] = a;
  return MNL_CB_OK;
}

bool top_level(const nlmsghdr* nlh, attrs& out) {
  if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(genlmsghdr)))
    return false;
  return mnl_attr_parse(nlh, sizeof(genlmsghdr), collect, &out) >= MNL_CB_STOP;
}

bool nested(const nlattr* a, attrs& out) {
  return a && mnl_attr_parse_nested(a, collect, &out) >= MNL_CB_STOP;
}

std::size_t len(const nlattr* a) { return mnl_attr_get_payload_len(a); }

template <class T>
std::optional<T> get(const nlattr* a) {
  if (!a || len(a) < sizeof(T))
    return std::nullopt;
  T v;
  std::memcpy(&v, mnl_attr_get_payload(a), sizeof v);
  return v;
}

std::optional<ip_address::family> family_of(std::uint16_t af) {
  if (af == AF_INET) return ip_address::family::v4;
  if (af == AF_INET6) return ip_address::family::v6;
  return std::nullopt;
}

std::optional<ip_address> get_addr(const nlattr* a, ip_address::family f) {
  ip_address r;
  r.fam = f;
  if (!a || len(a) < r.size())
    return std::nullopt;
  std::memcpy(r.bytes.data(), mnl_attr_get_payload(a), r.size());
  return r;
}

std::string get_string(const nlattr* a) {
  if (!a || len(a) == 0)
    return {};
  const char* p = static_cast<const char*>(mnl_attr_get_payload(a));
  return std::string(p, strnlen(p, len(a)));
}

// IPVS_STATS_ATTR_*: 32-bit in the old STATS nest (bytes 64-bit), 64-bit in STATS64;
// the payload length tells which.
proto::ipvs_stats stats(const nlattr* nest) {
  proto::ipvs_stats s;
  attrs a(IPVS_STATS_ATTR_MAX);
  if (!nested(nest, a))
    return s;
  auto num = [&](int t) -> std::uint64_t {
    const nlattr* x = a[t];
    if (!x) return 0;
    if (len(x) >= 8) return *get<std::uint64_t>(x);
    if (len(x) >= 4) return *get<std::uint32_t>(x);
    return 0;
  };
  s.conns = num(IPVS_STATS_ATTR_CONNS);
  s.inpkts = num(IPVS_STATS_ATTR_INPKTS);
  s.outpkts = num(IPVS_STATS_ATTR_OUTPKTS);
  s.inbytes = num(IPVS_STATS_ATTR_INBYTES);
  s.outbytes = num(IPVS_STATS_ATTR_OUTBYTES);
  s.cps = num(IPVS_STATS_ATTR_CPS);
  s.inpps = num(IPVS_STATS_ATTR_INPPS);
  s.outpps = num(IPVS_STATS_ATTR_OUTPPS);
  s.inbps = num(IPVS_STATS_ATTR_INBPS);
  s.outbps = num(IPVS_STATS_ATTR_OUTBPS);
  return s;
}

template <class T>
std::optional<T> fail(std::string* err, const char* why) {
  if (err) *err = why;
  return std::nullopt;
}

} // namespace

bytes get_family(std::uint32_t seq) {
  builder b(GENL_ID_CTRL, NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1);
  mnl_attr_put_strz(b.nlh, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
  return b.done();
}

bytes op(std::uint16_t family, std::uint32_t seq, const proto::ipvs_op& o) {
  using k = proto::ipvs_op::kind;
  static constexpr std::uint8_t cmds[] = {IPVS_CMD_NEW_SERVICE, IPVS_CMD_SET_SERVICE, IPVS_CMD_DEL_SERVICE,
                                         IPVS_CMD_NEW_DEST,    IPVS_CMD_SET_DEST,    IPVS_CMD_DEL_DEST};
  builder b(family, NLM_F_ACK, seq, cmds[static_cast<int>(o.what)], IPVS_GENL_VERSION);
  switch (o.what) {
    case k::add_service:
    case k::edit_service: put_service(b.nlh, o.service, true); break;
    case k::del_service: put_service(b.nlh, o.service, false); break;
    case k::add_dest:
    case k::edit_dest:
      put_service(b.nlh, o.service, false);
      put_dest(b.nlh, o.dest, true);
      break;
    case k::del_dest:
      put_service(b.nlh, o.service, false);
      put_dest(b.nlh, o.dest, false);
      break;
  }
  return b.done();
}

bytes dump_services(std::uint16_t family, std::uint32_t seq) {
  return builder(family, NLM_F_DUMP, seq, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION).done();
}

bytes dump_dests(std::uint16_t family, std::uint32_t seq, const proto::ipvs_service_key& key) {
  builder b(family, NLM_F_DUMP, seq, IPVS_CMD_GET_DEST, IPVS_GENL_VERSION);
  proto::ipvs_service s;
  s.key = key;
  put_service(b.nlh, s, false);
  return b.done();
}

bytes get_service(std::uint16_t family, std::uint32_t seq, const proto::ipvs_service_key& key) {
  builder b(family, NLM_F_ACK, seq, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION);
  proto::ipvs_service s;
  s.key = key;
  put_service(b.nlh, s, false);
  return b.done();
}

bytes set_timeouts(std::uint16_t family, std::uint32_t seq, const timeouts& t) {
  builder b(family, NLM_F_ACK, seq, IPVS_CMD_SET_CONFIG, IPVS_GENL_VERSION);
  // The kernel changes only those present: 0 would mean "now 0", so 0 is left out.
  if (t.tcp) mnl_attr_put_u32(b.nlh, IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp);
  if (t.tcp_fin) mnl_attr_put_u32(b.nlh, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcp_fin);
  if (t.udp) mnl_attr_put_u32(b.nlh, IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp);
  return b.done();
}

bytes flush(std::uint16_t family, std::uint32_t seq) {
  return builder(family, NLM_F_ACK, seq, IPVS_CMD_FLUSH, IPVS_GENL_VERSION).done();
}

bytes get_timeouts(std::uint16_t family, std::uint32_t seq) {
  return builder(family, NLM_F_ACK, seq, IPVS_CMD_GET_CONFIG, IPVS_GENL_VERSION).done();
}

bytes new_daemon(std::uint16_t family, std::uint32_t seq, const sync_daemon& d) {
  builder b(family, NLM_F_ACK, seq, IPVS_CMD_NEW_DAEMON, IPVS_GENL_VERSION);
  auto* nest = mnl_attr_nest_start(b.nlh, IPVS_CMD_ATTR_DAEMON);
  mnl_attr_put_u32(b.nlh, IPVS_DAEMON_ATTR_STATE, d.state);
  mnl_attr_put_strz(b.nlh, IPVS_DAEMON_ATTR_MCAST_IFN, d.ifname.c_str());
  mnl_attr_put_u32(b.nlh, IPVS_DAEMON_ATTR_SYNC_ID, d.sync_id);
  if (d.maxlen) mnl_attr_put_u16(b.nlh, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d.maxlen);
  if (d.group) {
    if (d.group->is_v4())
      mnl_attr_put(b.nlh, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, d.group->bytes.data());
    else
      mnl_attr_put(b.nlh, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, d.group->bytes.data());
  }
  // Host order, unlike every other port of IPVS (the kernel reads it with nla_get_u16; found
  // by comparing with ipvsadm -L --daemon in tests/vm/ipvs_in_vm.sh).
  if (d.port) mnl_attr_put_u16(b.nlh, IPVS_DAEMON_ATTR_MCAST_PORT, d.port);
  if (d.ttl) mnl_attr_put_u8(b.nlh, IPVS_DAEMON_ATTR_MCAST_TTL, d.ttl);
  mnl_attr_nest_end(b.nlh, nest);
  return b.done();
}

bytes del_daemon(std::uint16_t family, std::uint32_t seq, std::uint32_t state) {
  builder b(family, NLM_F_ACK, seq, IPVS_CMD_DEL_DAEMON, IPVS_GENL_VERSION);
  auto* nest = mnl_attr_nest_start(b.nlh, IPVS_CMD_ATTR_DAEMON);
  mnl_attr_put_u32(b.nlh, IPVS_DAEMON_ATTR_STATE, state);
  mnl_attr_nest_end(b.nlh, nest);
  return b.done();
}

bytes dump_daemons(std::uint16_t family, std::uint32_t seq) {
  return builder(family, NLM_F_DUMP, seq, IPVS_CMD_GET_DAEMON, IPVS_GENL_VERSION).done();
}

int command(const nlmsghdr* nlh) {
  if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(genlmsghdr))
    return -1;
  return static_cast<const genlmsghdr*>(mnl_nlmsg_get_payload(nlh))->cmd;
}

std::optional<std::uint16_t> family_id(const nlmsghdr* nlh) {
  attrs a(CTRL_ATTR_MAX);
  if (!top_level(nlh, a))
    return std::nullopt;
  return get<std::uint16_t>(a[CTRL_ATTR_FAMILY_ID]);
}

std::optional<proto::ipvs_service_state> service(const nlmsghdr* nlh, std::string* err) {
  using R = proto::ipvs_service_state;
  attrs top(IPVS_CMD_ATTR_MAX);
  attrs a(IPVS_SVC_ATTR_MAX);
  if (!top_level(nlh, top) || !nested(top[IPVS_CMD_ATTR_SERVICE], a))
    return fail<R>(err, "no service attribute");
  R r;
  auto& s = r.service;
  auto af = get<std::uint16_t>(a[IPVS_SVC_ATTR_AF]);
  auto fam = af ? family_of(*af) : std::nullopt;
  if (!fam)
    return fail<R>(err, "service without a known address family");
  s.key.fam = *fam;
  if (auto fw = get<std::uint32_t>(a[IPVS_SVC_ATTR_FWMARK]); fw && *fw) {
    s.key.fwmark = *fw;
    s.key.protocol = proto::ipvs_protocol::none;
    s.key.addr.fam = *fam;
  } else {
    auto p = get<std::uint16_t>(a[IPVS_SVC_ATTR_PROTOCOL]);
    auto addr = get_addr(a[IPVS_SVC_ATTR_ADDR], *fam);
    auto port = get<std::uint16_t>(a[IPVS_SVC_ATTR_PORT]);
    if (!p || !addr || !port)
      return fail<R>(err, "service without protocol, address and port, nor fwmark");
    s.key.protocol = static_cast<proto::ipvs_protocol>(*p);
    s.key.addr = *addr;
    s.key.port = ntohs(*port);
  }
  s.scheduler = get_string(a[IPVS_SVC_ATTR_SCHED_NAME]);
  s.pe_name = get_string(a[IPVS_SVC_ATTR_PE_NAME]);
  if (auto f = get<ipvs_flags>(a[IPVS_SVC_ATTR_FLAGS]))
    s.flags = f->flags & f->mask & ~proto::ipvs_svc_flag::hashed;  // hashed: in the table, always
  s.timeout = get<std::uint32_t>(a[IPVS_SVC_ATTR_TIMEOUT]).value_or(0);
  if (auto nm = get<std::uint32_t>(a[IPVS_SVC_ATTR_NETMASK]))
    s.netmask = *fam == proto::ip_address::family::v4 ? ntohl(*nm) : *nm == 128 ? 0xffffffffu : *nm;
  if (a[IPVS_SVC_ATTR_STATS64])
    r.stats = stats(a[IPVS_SVC_ATTR_STATS64]);
  else if (a[IPVS_SVC_ATTR_STATS])
    r.stats = stats(a[IPVS_SVC_ATTR_STATS]);
  return r;
}

std::optional<proto::ipvs_dest_state> dest(const nlmsghdr* nlh, proto::ip_address::family service_family,
                                           std::string* err) {
  using R = proto::ipvs_dest_state;
  attrs top(IPVS_CMD_ATTR_MAX);
  attrs a(IPVS_DEST_ATTR_MAX);
  if (!top_level(nlh, top) || !nested(top[IPVS_CMD_ATTR_DEST], a))
    return fail<R>(err, "no destination attribute");
  R r;
  auto& d = r.dest;
  auto fam = std::optional(service_family);
  if (auto af = get<std::uint16_t>(a[IPVS_DEST_ATTR_ADDR_FAMILY]))
    fam = family_of(*af);
  if (!fam)
    return fail<R>(err, "destination without a known address family");
  auto addr = get_addr(a[IPVS_DEST_ATTR_ADDR], *fam);
  auto port = get<std::uint16_t>(a[IPVS_DEST_ATTR_PORT]);
  if (!addr || !port)
    return fail<R>(err, "destination without address and port");
  d.addr = *addr;
  d.port = ntohs(*port);
  if (auto m = get<std::uint32_t>(a[IPVS_DEST_ATTR_FWD_METHOD]))
    d.forward = static_cast<proto::ipvs_forward>(*m & IP_VS_CONN_F_FWD_MASK);
  if (auto w = get<std::uint32_t>(a[IPVS_DEST_ATTR_WEIGHT]))
    d.weight = static_cast<int>(*w);
  d.u_threshold = get<std::uint32_t>(a[IPVS_DEST_ATTR_U_THRESH]).value_or(0);
  d.l_threshold = get<std::uint32_t>(a[IPVS_DEST_ATTR_L_THRESH]).value_or(0);
  // The kernel reports the tunnel settings of every destination; they mean something
  // only for a tunnel, so elsewhere they keep our defaults (and compare equal).
  if (d.forward == proto::ipvs_forward::tunnel) {
    if (auto t = get<std::uint8_t>(a[IPVS_DEST_ATTR_TUN_TYPE]))
      d.tun_type = static_cast<proto::ipvs_tunnel>(*t);
    if (auto p = get<std::uint16_t>(a[IPVS_DEST_ATTR_TUN_PORT]))
      d.tun_port = ntohs(*p);
    d.tun_flags = get<std::uint16_t>(a[IPVS_DEST_ATTR_TUN_FLAGS]).value_or(0);
  }
  r.active_conns = get<std::uint32_t>(a[IPVS_DEST_ATTR_ACTIVE_CONNS]).value_or(0);
  r.inactive_conns = get<std::uint32_t>(a[IPVS_DEST_ATTR_INACT_CONNS]).value_or(0);
  r.persist_conns = get<std::uint32_t>(a[IPVS_DEST_ATTR_PERSIST_CONNS]).value_or(0);
  if (a[IPVS_DEST_ATTR_STATS64])
    r.stats = stats(a[IPVS_DEST_ATTR_STATS64]);
  else if (a[IPVS_DEST_ATTR_STATS])
    r.stats = stats(a[IPVS_DEST_ATTR_STATS]);
  return r;
}

std::optional<timeouts> parse_timeouts(const nlmsghdr* nlh) {
  attrs a(IPVS_CMD_ATTR_MAX);
  if (!top_level(nlh, a))
    return std::nullopt;
  timeouts t;
  t.tcp = get<std::uint32_t>(a[IPVS_CMD_ATTR_TIMEOUT_TCP]).value_or(0);
  t.tcp_fin = get<std::uint32_t>(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]).value_or(0);
  t.udp = get<std::uint32_t>(a[IPVS_CMD_ATTR_TIMEOUT_UDP]).value_or(0);
  return t;
}

std::optional<sync_daemon> parse_daemon(const nlmsghdr* nlh) {
  attrs top(IPVS_CMD_ATTR_MAX);
  attrs a(IPVS_DAEMON_ATTR_MAX);
  if (!top_level(nlh, top) || !nested(top[IPVS_CMD_ATTR_DAEMON], a))
    return std::nullopt;
  sync_daemon d;
  auto state = get<std::uint32_t>(a[IPVS_DAEMON_ATTR_STATE]);
  if (!state)
    return std::nullopt;
  d.state = *state;
  d.ifname = get_string(a[IPVS_DAEMON_ATTR_MCAST_IFN]);
  d.sync_id = get<std::uint32_t>(a[IPVS_DAEMON_ATTR_SYNC_ID]).value_or(0);
  d.maxlen = get<std::uint16_t>(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]).value_or(0);
  if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6])
    d.group = get_addr(a[IPVS_DAEMON_ATTR_MCAST_GROUP6], ip_address::family::v6);
  else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP])
    d.group = get_addr(a[IPVS_DAEMON_ATTR_MCAST_GROUP], ip_address::family::v4);
  d.port = get<std::uint16_t>(a[IPVS_DAEMON_ATTR_MCAST_PORT]).value_or(0);  // host order
  d.ttl = get<std::uint8_t>(a[IPVS_DAEMON_ATTR_MCAST_TTL]).value_or(0);
  return d;
}

} // namespace ka::kern::ipvs_msg
