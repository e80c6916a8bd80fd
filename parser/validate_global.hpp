// Internal to validation: the global_defs keywords with structure (several words with
// their own grammar), read by validate_global_args.cpp into the typed fields of
// parser/config_global.hpp. Each takes the keyword's node and throws config_error at the
// offending word.
#pragma once
#include "parser/validate_common.hpp"

namespace ka::config::detail {

// `KEYWORD PATH [user [group]]`: startup_script, notify_fifo, notify_fifo_script, ...
file_as file_as_args(context& c, const node& n);
run_as script_user_args(context& c, const node& n);
int umask_args(const node& n);                                   // octal/hex/decimal or I?{USR,GRP,OTH} bits
include_checks include_check_args(const node& n);
lvs_sync_daemon lvs_sync_daemon_args(const node& n);
lvs_timeouts lvs_timeouts_args(const node& n);
flush_on_stop flush_on_stop_args(context& c, const node& n);
rx_bufs_policy rx_bufs_policy_args(const node& n);
garp_extra_if garp_extra_if_args(const node& n);
dynamic_interfaces dynamic_interfaces_args(context& c, const node& n);
iptables_chains iptables_args(context& c, const node& n);
int max_auto_priority_args(context& c, const node& n);
// A multicast group address: IPv4 (224.0.0.0/4), IPv6 link-local (ff02::) or either.
enum class multicast { v4, v6_link_local, any };
proto::ip_address multicast_arg(const node& n, const word& w, multicast kind);
// An optional single word: "" when absent (reload_file, nftables, net_namespace_ipvs, ...).
std::string optional_word(context& c, const node& n);
// metrics_listen ADDRESS:PORT (validate_listen.cpp)
void g_metrics_listen(context& c, global_defs& gd, const node& n);

} // namespace ka::config::detail
