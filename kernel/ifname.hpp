// An interface's name from its index, as the kernel has it now.
#pragma once
#include <string>

namespace ka::kern {

// Empty when no interface has that index.
std::string interface_name(int ifindex);

} // namespace ka::kern
