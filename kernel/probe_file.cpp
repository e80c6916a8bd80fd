#include "kernel/probe_file.hpp"

#include <boost/asio/post.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "protocol/check_verdicts.hpp"

namespace ka::kern {

void start_file_probe(probe_engine& engine, const file_probe_spec& spec, probe_callback done) {
  boost::asio::post(engine.io(), [spec, done = std::move(done)] {
    auto start = std::chrono::steady_clock::now();
    // A local file: one short read, as keepalived does (at most 127 bytes).
    std::string text;
    std::string note;
    int fd = ::open(spec.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      char buf[128];
      ssize_t n = ::read(fd, buf, sizeof buf - 1);
      ::close(fd);
      if (n > 0)
        text.assign(buf, static_cast<std::size_t>(n));
    } else {
      note = " (file missing: taken as 0)";
    }
    auto value = proto::parse_track_number(text);
    if (!value)
      note = " (out-of-range number ignored: previous value kept)";
    auto v = proto::file_verdict(value.value_or(spec.previous), spec.weight, spec.reverse, spec.dynamic);
    probe_result r;
    r.ok = v.ok;
    r.reason = v.reason + note;
    r.weight = v.weight;
    r.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    done(std::move(r));
  });
}

} // namespace ka::kern
