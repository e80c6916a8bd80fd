// Strict mode (global_defs vrrp_strict, or an instance's strict_mode): what keepalived
// 2.2.7 does at load time to an instance under it, as observed with `keepalived -t` and in
// namespace labs (README "Accept mode and strict mode"). It refuses an instance without
// virtual addresses, and undoes with a warning what RFC 3768/5798 do not allow:
// authentication, preempt_delay, accept mode in VRRPv2, a state that does not match being
// the address owner, a master answering lower-priority adverts or advertising before a
// higher-priority one, vmac_xmit_base, a first IPv6 address that is not link-local.
// keepalived.conf(5) also lists unicast peers and GARP repeats, but 2.2.7 lets both
// through without a word, and so does this.
#include "parser/validate_blocks.hpp"
#include "protocol/accept_mode.hpp"
#include "protocol/nft_ruleset.hpp"

namespace ka::config::detail {

void finish_strict(context& c, instance_state& s) {
  vrrp_instance& i = s.inst;
  if (!proto::strict_mode(i.strict_mode, c.cfg.global.vrrp.vrrp_strict))
    return;
  auto at = [&](const std::optional<source_pos>& p) { return p ? *p : i.where; };
  auto warn = [&](const std::optional<source_pos>& p, const std::string& what) {
    c.diag(dkind::warning, at(p), "(" + i.name + ") strict mode: " + what);
  };
  if (i.vips.empty())
    c.attempt([&] {
      fail(i.where, "vrrp_instance " + q(i.name) + " without virtual_ipaddress",
           "at least one virtual_ipaddress in strict mode");
    });
  bool owner = i.priority == 255;
  if (i.initial_master != owner) {
    warn(s.state_at, owner ? "the address owner (priority 255) starts as MASTER"
                           : "state MASTER needs priority 255 (the address owner); starting as BACKUP");
    i.initial_master = owner;
  }
  if (i.auth != auth_kind::none) {
    warn(s.auth_at, "authentication is not supported; ignored");
    i.auth = auth_kind::none;
    i.auth_pass.clear();
  }
  if (i.preempt_delay > 0) {
    warn(s.preempt_delay_at, "preempt_delay is not supported; reset to 0");
    i.preempt_delay = 0;
  }
  if (i.version == 2 && i.accept.value_or(false)) {
    warn(s.accept_at, "VRRPv2 (RFC 3768) has no accept mode; using no_accept");
    i.accept = false;
  }
  if (i.lower_prio_no_advert == false) {
    warn(s.lower_prio_at, "a master may not answer a lower-priority advert; lower_prio_no_advert set");
    i.lower_prio_no_advert = true;
  }
  if (i.higher_prio_send_advert == true) {
    warn(s.higher_prio_at, "higher_prio_send_advert is not allowed; cleared");
    i.higher_prio_send_advert = false;
  }
  if (i.vmac_xmit_base) {
    warn(s.xmit_base_at, "vmac_xmit_base is not allowed; cleared");
    i.vmac_xmit_base = false;
  }
  if (!i.vips.empty() && !i.vips.front().addr.is_v4() && !proto::is_link_local(i.vips.front().addr))
    c.diag(dkind::warning, i.vips.front().where,
           "(" + i.name + ") strict mode: the first IPv6 virtual address must be link-local (RFC 5798 5.2.9)");
}

} // namespace ka::config::detail
