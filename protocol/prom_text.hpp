// The Prometheus text exposition format, version 0.0.4: metric families with their HELP
// and TYPE lines, label values escaped, histograms with cumulative buckets, _sum and
// _count. Pure: it builds a string; actors/metrics_server.cpp serves it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ka::proto::prom {

enum class metric_type { gauge, counter, histogram };

struct label {
  std::string name;   // [a-zA-Z_][a-zA-Z0-9_]*: ours are fixed names
  std::string value;  // any bytes (an instance name may hold any byte but NUL)
};
using labels = std::vector<label>;

// A histogram as Prometheus defines it: `counts[i]` observations in (bounds[i-1],
// bounds[i]], the last one above every bound (le="+Inf"); counts are per bucket here and
// made cumulative on output. O(bounds) per observation and no allocation.
struct histogram {
  std::vector<double> bounds;           // ascending upper bounds, +Inf implied
  std::vector<std::uint64_t> counts;    // bounds.size() + 1
  double sum = 0;
  std::uint64_t count = 0;

  histogram() = default;
  explicit histogram(std::vector<double> upper_bounds);
  void observe(double v);
};

// A label value as the format wants it: backslash, double quote and line feed escaped
// (\\, \", \n). The format carries UTF-8, and a scraper refuses anything else, so a byte
// that is not part of valid UTF-8 (and any other control byte) is written as the four
// characters \xHH, backslash escaped: the value reads back as "\xff", which keeps two
// different names apart.
std::string escape_label_value(std::string_view v);
// A HELP text: backslash and line feed escaped.
std::string escape_help(std::string_view v);
// A sample value: integers without exponent or fraction (exact up to 2^53), other numbers
// in the fewest digits that read back the same, "+Inf", "-Inf", "NaN".
std::string format_value(double v);

// The families of one scrape, in order of their first sample; the samples of a family are
// kept together, as the format requires, whatever order they are added in.
class exposition {
public:
  // A sample of a gauge or counter family. A counter's name should end in _total.
  // HELP and TYPE are taken from the first call for a name.
  void add(std::string_view name, metric_type type, std::string_view help, const labels& ls, double value);
  void gauge(std::string_view name, std::string_view help, const labels& ls, double value) {
    add(name, metric_type::gauge, help, ls, value);
  }
  void counter(std::string_view name, std::string_view help, const labels& ls, double value) {
    add(name, metric_type::counter, help, ls, value);
  }
  // name_bucket{...,le="..."} (cumulative, ending with le="+Inf" = count), name_sum, name_count.
  void add_histogram(std::string_view name, std::string_view help, const labels& ls, const histogram& h);
  // Declares a family without samples (HELP and TYPE only), so that a scraper sees every
  // metric this daemon can export even when none applies (no virtual_server).
  void declare(std::string_view name, metric_type type, std::string_view help);
  std::string text() const;

private:
  struct family {
    std::string name, help;
    metric_type type = metric_type::gauge;
    std::string samples;  // rendered lines
  };
  family& family_of(std::string_view name, metric_type type, std::string_view help);
  std::vector<family> families_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

// The Content-Type of this format.
constexpr const char* content_type = "text/plain; version=0.0.4; charset=utf-8";

} // namespace ka::proto::prom
