#include "protocol/prom_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ka::proto::prom {

histogram::histogram(std::vector<double> upper_bounds)
  : bounds(std::move(upper_bounds)), counts(bounds.size() + 1, 0) {}

void histogram::observe(double v) {
  // The first bound not below v: its bucket is (previous, bound].
  auto it = std::lower_bound(bounds.begin(), bounds.end(), v);
  ++counts[static_cast<std::size_t>(it - bounds.begin())];
  sum += v;
  ++count;
}

namespace {

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when the byte there starts none.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3
                : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80)
      return 0;
  if (n == 3) {
    if (c == 0xe0 && b(i + 1) < 0xa0) return 0;   // overlong
    if (c == 0xed && b(i + 1) >= 0xa0) return 0;  // surrogate
  }
  if (n == 4) {
    if (c == 0xf0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xf4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
  }
  return n;
}

void append_hex_escape(std::string& out, unsigned char c) {
  static const char digits[] = "0123456789abcdef";
  out += "\\\\x";
  out += digits[c >> 4];
  out += digits[c & 15];
}

const char* type_name(metric_type t) {
  switch (t) {
    case metric_type::gauge: return "gauge";
    case metric_type::counter: return "counter";
    case metric_type::histogram: return "histogram";
  }
  return "untyped";
}

void append_labels(std::string& out, const labels& ls, const label* extra = nullptr) {
  if (ls.empty() && !extra)
    return;
  out += '{';
  bool first = true;
  auto one = [&](const label& l) {
    if (!first) out += ',';
    first = false;
    out += l.name;
    out += "=\"";
    out += escape_label_value(l.value);
    out += '"';
  };
  for (const auto& l : ls) one(l);
  if (extra) one(*extra);
  out += '}';
}

void append_sample(std::string& out, std::string_view name, const labels& ls, double v,
                   const label* extra = nullptr) {
  out += name;
  append_labels(out, ls, extra);
  out += ' ';
  out += format_value(v);
  out += '\n';
}

} // namespace

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size();) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == '\\') { out += "\\\\"; ++i; continue; }
    if (c == '"') { out += "\\\""; ++i; continue; }
    if (c == '\n') { out += "\\n"; ++i; continue; }
    std::size_t n = utf8_length(v, i);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      append_hex_escape(out, c);
      ++i;
      continue;
    }
    out.append(v.substr(i, n));
    i += n;
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0)  // 2^53: every integer exact
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else  // the shortest form that reads back as the same number (0.0001, not 0.00010000000000000000)
    for (int digits = 1; digits <= 17; ++digits) {
      std::snprintf(buf, sizeof buf, "%.*g", digits, v);
      if (std::strtod(buf, nullptr) == v)
        break;
    }
  return buf;
}

exposition::family& exposition::family_of(std::string_view name, metric_type type, std::string_view help) {
  if (auto it = index_.find(name); it != index_.end())
    return families_[it->second];
  index_.emplace(std::string(name), families_.size());
  families_.push_back({std::string(name), std::string(help), type, {}});
  return families_.back();
}

void exposition::declare(std::string_view name, metric_type type, std::string_view help) {
  family_of(name, type, help);
}

void exposition::add(std::string_view name, metric_type type, std::string_view help, const labels& ls,
                     double value) {
  append_sample(family_of(name, type, help).samples, name, ls, value);
}

void exposition::add_histogram(std::string_view name, std::string_view help, const labels& ls,
                               const histogram& h) {
  std::string& out = family_of(name, metric_type::histogram, help).samples;
  std::string base(name);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.bounds.size(); ++i) {
    cumulative += i < h.counts.size() ? h.counts[i] : 0;
    label le{"le", format_value(h.bounds[i])};
    append_sample(out, base + "_bucket", ls, static_cast<double>(cumulative), &le);
  }
  label inf{"le", "+Inf"};
  append_sample(out, base + "_bucket", ls, static_cast<double>(h.count), &inf);
  append_sample(out, base + "_sum", ls, h.sum);
  append_sample(out, base + "_count", ls, static_cast<double>(h.count));
}

std::string exposition::text() const {
  std::string out;
  for (const auto& f : families_) {
    out += "# HELP " + f.name + " " + escape_help(f.help) + "\n";
    out += "# TYPE " + f.name + " " + type_name(f.type) + "\n";
    out += f.samples;
  }
  return out;
}

} // namespace ka::proto::prom
