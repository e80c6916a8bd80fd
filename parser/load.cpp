// Loading: read files, parse them (grammar.cpp), splice `include`d files into the
// syntax tree, then validate (validate.cpp).
//
// include semantics (keepalived.conf(5)): `include PATTERN` is a glob(3) pattern
// with csh-style braces; a relative pattern is taken relative to the directory of
// the file that contains the include. Matches are read in glob's (sorted) order
// and spliced where the include stands, also inside a block. Each included file
// must be brace-balanced on its own. Plain `include` never fails: a pattern that
// matches nothing or an unreadable file gives a warning diagnostic. The variants
// are stricter: includer (every match readable), includem (a pattern without
// wildcards must match), includew (any pattern must match), includeb (treated as
// includem), includea (all of these).
#include "parser/load.hpp"

#include <glob.h>

#include <fstream>
#include <sstream>
#include <string_view>

#include "parser/grammar.hpp"
#include "parser/validate.hpp"

namespace ka::config {

std::string source_pos::to_string() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

config_error::config_error(source_pos where, std::string found, std::string expected)
    : std::runtime_error(where.to_string() + ": found " + found + ", expected " + expected),
      where_(std::move(where)), found_(std::move(found)), expected_(std::move(expected)) {}

namespace {

constexpr int k_max_include_depth = 32;

struct include_checks {
  bool readable = false;
  bool match = false;           // a pattern without wildcards must match
  bool wildcard_match = false;  // any pattern must match
};

const include_checks* include_variant(std::string_view keyword) {
  static const include_checks plain{}, r{true, false, false}, m{true, true, false},
      w{true, false, true}, a{true, true, true};
  if (keyword == "include") return &plain;
  if (keyword == "includer") return &r;
  if (keyword == "includem" || keyword == "includeb") return &m;
  if (keyword == "includew") return &w;
  if (keyword == "includea") return &a;
  return nullptr;
}

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::string directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  if (slash == std::string::npos) return {};
  return file.substr(0, slash + 1);
}

std::vector<std::string> glob_files(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (glob(pattern.c_str(), GLOB_BRACE | GLOB_MARK, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = g.gl_pathv[i];
      if (!p.empty() && p.back() != '/') out.push_back(std::move(p));  // skip directories
    }
  }
  globfree(&g);
  return out;
}

class loader {
public:
  explicit loader(config& cfg) : cfg_(cfg) {}

  syntax::tree parse_text(const std::string& text, const std::string& name, int depth) {
    syntax::tree t = syntax::parse(text, name);
    return splice(t, directory_of(name), depth);
  }

private:
  syntax::tree splice(syntax::tree& nodes, const std::string& dir, int depth) {
    syntax::tree out;
    for (auto& n : nodes) {
      if (const include_checks* checks = include_variant(n.keyword.text)) {
        for (auto& m : include(n, *checks, dir, depth)) out.push_back(std::move(m));
        continue;
      }
      if (n.has_block) n.children = splice(n.children, dir, depth);
      out.push_back(std::move(n));
    }
    return out;
  }

  syntax::tree include(const syntax::node& n, const include_checks& checks, const std::string& dir,
                       int depth) {
    const std::string& kw = n.keyword.text;
    if (n.args.empty()) throw config_error(n.keyword.where, "end of line", "a file name pattern for " + kw);
    if (n.has_block) throw config_error(n.block_open, "'{'", "end of line (" + kw + " takes no block)");
    if (depth >= k_max_include_depth)
      throw config_error(n.keyword.where, "includes nested " + std::to_string(depth) + " deep",
                         "at most " + std::to_string(k_max_include_depth) + " levels (include loop?)");
    const syntax::word& pattern = n.args.front();
    for (std::size_t i = 1; i < n.args.size(); ++i)
      warn(n.args[i].where, "extra argument '" + n.args[i].text + "' to " + kw + " ignored");
    std::string full = (!pattern.text.empty() && pattern.text.front() == '/') ? pattern.text : dir + pattern.text;

    auto files = glob_files(full);
    if (files.empty()) {
      bool wildcard = full.find_first_of("*?[") != std::string::npos;
      if (checks.wildcard_match || (checks.match && !wildcard))
        throw config_error(pattern.where, "'" + pattern.text + "'", "a pattern matching at least one file for " + kw);
      warn(pattern.where, kw + " pattern '" + pattern.text + "' matches no file");
      return {};
    }
    syntax::tree out;
    for (const auto& f : files) {
      auto text = read_whole(f);
      if (!text) {
        if (checks.readable)
          throw config_error(pattern.where, "unreadable file '" + f + "'", "a readable file for " + kw);
        warn(pattern.where, "cannot read included file '" + f + "'");
        continue;
      }
      cfg_.files.push_back(f);
      for (auto& m : parse_text(*text, f, depth + 1)) out.push_back(std::move(m));
    }
    return out;
  }

  void warn(const source_pos& where, std::string message) {
    pending_.push_back(diagnostic{diagnostic::kind::warning, where, std::move(message)});
  }

public:
  std::vector<diagnostic> pending_;

private:
  config& cfg_;
};

config load(const std::string& text, const std::string& name, std::vector<std::string> files) {
  config scratch;
  scratch.files = std::move(files);
  loader l(scratch);
  syntax::tree root = l.parse_text(text, name, 0);
  config cfg = validate(root);
  cfg.files = std::move(scratch.files);
  cfg.diagnostics.insert(cfg.diagnostics.begin(), l.pending_.begin(), l.pending_.end());
  return cfg;
}

} // namespace

config load_file(const std::string& path) {
  auto text = read_whole(path);
  if (!text) throw config_error(source_pos{path, 0, 0}, "'" + path + "'", "a readable configuration file");
  return load(*text, path, {path});
}

config load_string(const std::string& text, const std::string& name) {
  return load(text, name, {});
}

} // namespace ka::config
