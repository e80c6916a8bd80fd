// VRRPv2 advertisements sent by real keepalived 2.2.7 (Debian 12 package), captured
// on a veth pair between two network namespaces. Each array is one whole IPv4
// datagram (IP header onward; the 14-byte Ethernet header was stripped), exactly
// what a raw IPPROTO_VRRP socket hands us.
//
// How they were captured (as root; $$ makes the names unique, both namespaces are
// deleted by an EXIT trap):
//   ip netns add kagold-$$-a; ip netns add kagold-$$-b
//   ip link add kga$$ type veth peer name kgb$$
//   ip link set kga$$ netns kagold-$$-a; ip link set kgb$$ netns kagold-$$-b
//   ip -n kagold-$$-a link set kga$$ name eth0; ip -n kagold-$$-b link set kgb$$ name eth0
//   ip -n kagold-$$-a addr add 192.0.2.1/24 dev eth0; ip -n kagold-$$-b addr add 192.0.2.2/24 dev eth0
//   ip -n kagold-$$-a link set lo up; ip -n kagold-$$-a link set eth0 up
//   ip -n kagold-$$-b link set lo up; ip -n kagold-$$-b link set eth0 up
//   ip netns exec kagold-$$-b tcpdump -i eth0 -U -w cap.pcap 'ip proto 112' &
//   ip netns exec kagold-$$-a keepalived -n -l -D -P -f ka.conf -p ka.pid -r vrrp.pid -c chk.pid &
//   sleep 6; kill -TERM <keepalived pid>   # SIGTERM makes the master send priority 0
//   tcpdump -r cap.pcap -nn -xx        # hex, Ethernet header dropped when transcribing
// with ka.conf (pid files and config under /tmp/kagold/<case>/):
//   global_defs { router_id kagold }
//   vrrp_instance VI_1 {
//     state MASTER
//     interface eth0
//     virtual_router_id 51
//     priority 100                        # (b): 150
//     advert_int 1
//     authentication {                    # (b): no authentication block
//       auth_type PASS
//       auth_pass 1111
//     }
//     virtual_ipaddress {
//       192.0.2.100/24                    # (b): also 192.0.2.101/24
//     }
//   }
// Observations: IP TOS is 0xc0 (internetwork control), DF is not set, the IP id counts
// 1,2,3...; the auth data is the password zero padded to 8 bytes; with no
// authentication the auth type byte is 0 and the 8 auth bytes are zero; `state MASTER`
// with priority 100 still entered BACKUP first and became master only after the
// master-down timeout (about 3.6 s).
#pragma once
#include <cstdint>

namespace ka::golden {

// (a) PASS "1111", priority 100, VRID 51, one VIP 192.0.2.100, from 192.0.2.1.
inline constexpr std::uint8_t golden_pass_prio100[] = {
    0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x91,
    0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x64, 0x01,
    0x01, 0x01, 0x55, 0x03, 0xc0, 0x00, 0x02, 0x64, 0x31, 0x31, 0x31, 0x31,
    0x00, 0x00, 0x00, 0x00,
};

// (c) the priority-0 advert the same keepalived sent on SIGTERM.
inline constexpr std::uint8_t golden_pass_prio0[] = {
    0x45, 0xc0, 0x00, 0x28, 0x00, 0x04, 0x00, 0x00, 0xff, 0x70, 0x18, 0x8e,
    0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x00, 0x01,
    0x01, 0x01, 0xb9, 0x03, 0xc0, 0x00, 0x02, 0x64, 0x31, 0x31, 0x31, 0x31,
    0x00, 0x00, 0x00, 0x00,
};

// (b) no authentication, priority 150, VIPs 192.0.2.100 and 192.0.2.101.
inline constexpr std::uint8_t golden_none_prio150_two_vips[] = {
    0x45, 0xc0, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x8d,
    0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x96, 0x02,
    0x00, 0x01, 0xc3, 0xfe, 0xc0, 0x00, 0x02, 0x64, 0xc0, 0x00, 0x02, 0x65,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

// (c) again for (b): priority 0 on SIGTERM.
inline constexpr std::uint8_t golden_none_prio0_two_vips[] = {
    0x45, 0xc0, 0x00, 0x2c, 0x00, 0x04, 0x00, 0x00, 0xff, 0x70, 0x18, 0x8a,
    0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x00, 0x02,
    0x00, 0x01, 0x59, 0xff, 0xc0, 0x00, 0x02, 0x64, 0xc0, 0x00, 0x02, 0x65,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

} // namespace ka::golden
