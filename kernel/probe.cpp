#include "kernel/probe.hpp"

#include <boost/asio/executor_work_guard.hpp>

namespace ka::kern {

probe_engine::probe_engine(unsigned threads) {
  guard_.emplace(io_.get_executor());
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

probe_engine::~probe_engine() {
  guard_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
}

} // namespace ka::kern
