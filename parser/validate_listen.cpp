// global_defs metrics_listen (our extension): `ADDRESS:PORT`, IPv6 in brackets
// (`127.0.0.1:9650`, `[::1]:9650`). Errors point at the part that is wrong.
#include <cstdlib>

#include "parser/validate_global.hpp"

namespace ka::config::detail {

void g_metrics_listen(context& c, global_defs& gd, const node& n) {
  const word& w = arg(n, 0);
  const std::string& t = w.text;
  const char* shape = "ADDRESS:PORT for metrics_listen (IPv6 as [ADDRESS]:PORT)";
  std::string host;
  std::size_t port_at = 0;  // index of the port's first character
  if (!t.empty() && t[0] == '[') {
    auto close = t.find(']');
    if (close == std::string::npos || close + 1 >= t.size() || t[close + 1] != ':')
      fail(w.where, q(t), shape);
    host = t.substr(1, close - 1);
    port_at = close + 2;
  } else {
    auto colon = t.rfind(':');
    if (colon == std::string::npos)
      fail(w.where, q(t), shape);
    host = t.substr(0, colon);
    if (host.find(':') != std::string::npos)  // a bare IPv6 address: its port is ambiguous
      fail(w.where, q(t), "an IPv6 address in brackets for metrics_listen ([ADDRESS]:PORT)");
    port_at = colon + 1;
  }
  auto addr = proto::ip_address::parse(host);
  if (!addr || addr->is_v4() != (t[0] != '['))
    fail(w.where, q(host), t[0] == '[' ? "an IPv6 address for metrics_listen" : "an IPv4 address for metrics_listen");
  source_pos port_pos = w.where;
  port_pos.column += static_cast<int>(port_at);
  std::string port_text = t.substr(port_at);
  char* end = nullptr;
  long port = port_text.empty() ? 0 : std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end || port_text[0] == '+' || port_text[0] == '-' || port < 1 || port > 65535)
    fail(port_pos, q(port_text), "a port 1..65535 for metrics_listen");
  gd.metrics_listen = listen_address{*addr, static_cast<std::uint16_t>(port)};
  no_more_args(c, n, 1);
}

} // namespace ka::config::detail
