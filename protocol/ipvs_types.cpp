#include "protocol/ipvs_types.hpp"

#include <tuple>

namespace ka::proto {

std::string ipvs_service_key::to_string() const {
  if (by_fwmark()) return "FWM " + std::to_string(fwmark) + (fam == ip_address::family::v6 ? " IPv6" : "");
  const char* p = protocol == ipvs_protocol::tcp ? "TCP" : protocol == ipvs_protocol::udp ? "UDP"
                : protocol == ipvs_protocol::sctp ? "SCTP" : "?";
  std::string a = addr.to_string();
  if (!addr.is_v4()) a = "[" + a + "]";
  return std::string(p) + " " + a + ":" + std::to_string(port);
}

bool operator<(const ipvs_service_key& a, const ipvs_service_key& b) {
  return std::tie(a.fam, a.fwmark, a.protocol, a.addr, a.port) <
         std::tie(b.fam, b.fwmark, b.protocol, b.addr, b.port);
}

const char* ipvs_op_name(ipvs_op::kind k) {
  switch (k) {
    case ipvs_op::kind::add_service: return "add service";
    case ipvs_op::kind::edit_service: return "edit service";
    case ipvs_op::kind::del_service: return "delete service";
    case ipvs_op::kind::add_dest: return "add dest";
    case ipvs_op::kind::edit_dest: return "edit dest";
    case ipvs_op::kind::del_dest: return "delete dest";
  }
  return "?";
}

} // namespace ka::proto
