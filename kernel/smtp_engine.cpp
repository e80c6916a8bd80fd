#include "kernel/smtp_engine.hpp"

namespace ka::kern {

smtp_engine::smtp_engine() {
  guard_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

smtp_engine::~smtp_engine() {
  guard_.reset();
  io_.stop();
  thread_.join();
}

} // namespace ka::kern
