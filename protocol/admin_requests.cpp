#include "protocol/admin_requests.hpp"

namespace ka::proto {

std::optional<json> admin_request(std::string_view line, json& error) {
  try {
    json req = json::parse(line);
    if (req.is_object())
      return req;
  } catch (const json::exception& e) {
    error = admin_error(std::string("bad request: ") + e.what());
    return std::nullopt;
  }
  error = admin_error("bad request: expected an object");
  return std::nullopt;
}

std::optional<std::string> instance_arg(const json& req, json& error) {
  auto it = req.find("instance");
  if (it == req.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    error = admin_error("bad request: expected a string member \"instance\" (an instance name)");
    return std::nullopt;
  }
  const auto& name = it->get_ref<const std::string&>();
  if (name.size() > max_instance_arg) {
    error = admin_error("bad request: instance name longer than " + std::to_string(max_instance_arg)
                        + " bytes");
    return std::nullopt;
  }
  return name;
}

std::optional<int> priority_arg(const json& req, json& error) {
  auto it = req.find("priority");
  if (it != req.end() && it->is_string() && it->get_ref<const std::string&>() == "reset")
    return 0;
  if (it != req.end() && it->is_number_integer()) {
    auto p = it->get<long long>();
    if (p >= 1 && p <= 254)
      return static_cast<int>(p);
  }
  error = admin_error("bad request: \"priority\" must be an integer 1..254 or \"reset\"");
  return std::nullopt;
}

std::optional<std::string> stats_arg(const json& req, json& error) {
  auto it = req.find("action");
  if (it != req.end() && it->is_string() && it->get_ref<const std::string&>() == "clear")
    return std::string("clear");
  error = admin_error("bad request: stats takes \"action\":\"clear\"");
  return std::nullopt;
}

} // namespace ka::proto
