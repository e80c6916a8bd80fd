#include "kernel/ifname.hpp"

#include <net/if.h>

namespace ka::kern {

std::string interface_name(int ifindex) {
  char buf[IF_NAMESIZE] = {};
  if (ifindex <= 0 || !if_indextoname(static_cast<unsigned>(ifindex), buf))
    return {};
  return buf;
}

} // namespace ka::kern
