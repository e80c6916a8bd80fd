#include "protocol/ipvs_diff.hpp"

#include <algorithm>

namespace ka::proto {
namespace {

ipvs_op op(ipvs_op::kind k, const ipvs_service& s, const ipvs_dest& d = {}) {
  ipvs_op o;
  o.what = k;
  o.service = s;
  o.dest = d;
  return o;
}

const ipvs_dest* find_dest(const std::vector<ipvs_dest>& v, const ipvs_dest& d) {
  auto it = std::find_if(v.begin(), v.end(), [&](const ipvs_dest& x) { return x.same_endpoint(d); });
  return it == v.end() ? nullptr : &*it;
}

// Each endpoint once, the first occurrence kept.
std::vector<ipvs_dest> unique_dests(const std::vector<ipvs_dest>& v) {
  std::vector<ipvs_dest> out;
  for (const auto& d : v)
    if (!find_dest(out, d)) out.push_back(d);
  return out;
}

ipvs_service_set from_state(const ipvs_service_state& st) {
  ipvs_service_set s;
  s.service = st.service;
  for (const auto& d : st.dests) s.dests.push_back(d.dest);
  return s;
}

} // namespace

bool same_service(const ipvs_service_key& a, const ipvs_service_key& b) {
  if (a.fam != b.fam || a.by_fwmark() != b.by_fwmark()) return false;
  // A fwmark service has no protocol, address or port, whatever a dump fills in.
  if (a.by_fwmark()) return a.fwmark == b.fwmark;
  return a.protocol == b.protocol && a.addr == b.addr && a.port == b.port;
}

bool same_settings(const ipvs_service& a, const ipvs_service& b) {
  constexpr std::uint32_t ours = ~ipvs_svc_flag::hashed;
  return a.scheduler == b.scheduler && (a.flags & ours) == (b.flags & ours) && a.timeout == b.timeout &&
         a.netmask == b.netmask && a.pe_name == b.pe_name;
}

std::vector<ipvs_op> diff_service(const ipvs_service_set& want, const ipvs_service_set* have) {
  std::vector<ipvs_op> out;
  using k = ipvs_op::kind;
  auto dests = unique_dests(want.dests);
  if (!have) {
    out.push_back(op(k::add_service, want.service));
    for (const auto& d : dests) out.push_back(op(k::add_dest, want.service, d));
    return out;
  }
  if (!same_settings(want.service, have->service)) out.push_back(op(k::edit_service, want.service));
  for (const auto& d : dests) {
    const ipvs_dest* h = find_dest(have->dests, d);
    if (!h)
      out.push_back(op(k::add_dest, want.service, d));
    else if (!(*h == d))
      out.push_back(op(k::edit_dest, want.service, d));
  }
  for (const auto& h : have->dests)
    if (!find_dest(dests, h)) out.push_back(op(k::del_dest, want.service, h));
  return out;
}

std::vector<ipvs_op> diff_services(const std::vector<ipvs_service_set>& want,
                                   const std::vector<ipvs_service_set>& have) {
  std::vector<ipvs_op> out;
  std::vector<const ipvs_service_set*> done;  // a service wanted twice is written once
  for (const auto& w : want) {
    if (std::any_of(done.begin(), done.end(), [&](const ipvs_service_set* d) { return same_service(d->service.key, w.service.key); }))
      continue;
    done.push_back(&w);
    auto it = std::find_if(have.begin(), have.end(),
                           [&](const ipvs_service_set& h) { return same_service(h.service.key, w.service.key); });
    auto ops = diff_service(w, it == have.end() ? nullptr : &*it);
    out.insert(out.end(), ops.begin(), ops.end());
  }
  for (const auto& h : have)
    if (std::none_of(want.begin(), want.end(), [&](const ipvs_service_set& w) { return same_service(w.service.key, h.service.key); }))
      out.push_back(op(ipvs_op::kind::del_service, h.service));
  return out;
}

std::vector<ipvs_service_set> ours_in(const std::vector<ipvs_service_set>& want,
                                      const std::vector<ipvs_service_state>& dump) {
  std::vector<ipvs_service_set> out;
  for (const auto& st : dump)
    if (std::any_of(want.begin(), want.end(), [&](const ipvs_service_set& w) { return same_service(w.service.key, st.service.key); }) &&
        std::none_of(out.begin(), out.end(), [&](const ipvs_service_set& o) { return same_service(o.service.key, st.service.key); }))
      out.push_back(from_state(st));
  return out;
}

std::vector<ipvs_op> reconcile(const std::vector<ipvs_service_set>& want,
                               const std::vector<ipvs_service_state>& dump) {
  return diff_services(want, ours_in(want, dump));
}

std::vector<ipvs_op> remove_services(const std::vector<ipvs_service_set>& have) {
  std::vector<ipvs_op> out;
  for (const auto& h : have)
    if (std::none_of(out.begin(), out.end(), [&](const ipvs_op& o) { return same_service(o.service.key, h.service.key); }))
      out.push_back(op(ipvs_op::kind::del_service, h.service));
  return out;
}

} // namespace ka::proto
