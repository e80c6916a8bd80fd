// missing_interfaces.hpp. if_nametoindex is one ioctl per name: cheap enough to ask again
// for every `status`, so that an interface created after start-up leaves the list.
#include "actors/missing_interfaces.hpp"

#include <net/if.h>

#include <set>

namespace ka::act {

std::vector<config::interface_ref> missing_interfaces(const config::config& cfg) {
  std::vector<config::interface_ref> missing;
  std::set<std::string> seen;
  for (const auto& ref : cfg.interfaces)
    if (seen.insert(ref.name).second && if_nametoindex(ref.name.c_str()) == 0)
      missing.push_back(ref);
  return missing;
}

config::diagnostic missing_interface_warning(const config::interface_ref& ref) {
  return config::diagnostic{config::diagnostic::kind::warning, ref.where,
                            "interface '" + ref.name + "' does not exist (it may appear later)"};
}

} // namespace ka::act
