#include "protocol/admin_protocol.hpp"

namespace ka::proto {

std::string admin_line(const json& reply) noexcept {
  try {
    return reply.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  } catch (...) {
    return "{\"ok\":false,\"error\":\"internal error while writing the reply\"}\n";
  }
}

json admin_error(std::string why) {
  json v;
  v["ok"] = false;
  v["error"] = std::move(why);
  return v;
}

std::string admin_command(std::string_view line, json& error) {
  json req;
  try {
    req = json::parse(line);
  } catch (const json::exception& e) {  // its message names the byte offset and what was read
    error = admin_error(std::string("bad request: ") + e.what());
    return {};
  }
  auto cmd = req.is_object() ? req.find("cmd") : req.end();
  if (cmd == req.end() || !cmd->is_string()) {
    error = admin_error("bad request: expected an object with a string member \"cmd\"");
    return {};
  }
  return cmd->get<std::string>();
}

} // namespace ka::proto
