// Loading: read files, preprocess them (preprocess.cpp: @ID, $NAME, ~SEQ), parse them
// (grammar.cpp), splice `include`d files into the syntax tree, then validate
// (validate.cpp): one top-level statement at a time, each freed once validated, so that
// the tree of a big config never exists whole beside the model built from it.
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
//
// Every load is bounded (load_limits in source.hpp): only regular files are read, each
// and all of them together within a size, a number of files (a chain of files that
// each include the next twice would otherwise take 2^depth reads), include and block
// depth; anything else that fails is turned into a config_error as well.
#include "parser/load.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <tuple>
#include <optional>
#include <string_view>

#include "parser/grammar.hpp"
#include "parser/preprocess.hpp"
#include "parser/validate.hpp"

namespace ka::config {

std::string source_pos::to_string() const {
  std::string s = line <= 0 ? file.str() : file.str() + ":" + std::to_string(line) + ":" + std::to_string(column);
  if (!file.note().empty()) s += " (" + file.note() + ")";
  return s;
}

config_error::config_error(source_pos where, std::string found, std::string expected)
    : std::runtime_error(where.to_string() + ": found " + found + ", expected " + expected),
      where_(std::move(where)), found_(std::move(found)), expected_(std::move(expected)) {}

namespace {

pre::preprocess_limits pre_limits(const load_limits& limits) {
  pre::preprocess_limits p;
  p.max_total_bytes = limits.max_total_bytes;
  return p;
}

// What each include variant refuses, as keepalived 2.2.7 -t does (tests/unit/test_parser.cpp).
struct include_checks {
  bool readable = false;
  bool match = false;           // a pattern without wildcards or braces must match
  bool wildcard_match = false;  // any pattern must match, but one with braces and no wildcard
  bool brace_match = false;     // each brace alternative without a wildcard must match
};

const include_checks* include_variant(std::string_view keyword) {
  static const include_checks plain{}, r{true, false, false, false}, m{true, true, false, false},
      w{true, false, true, false}, b{true, false, false, true}, a{true, true, true, true};
  if (keyword == "include") return &plain;
  if (keyword == "includer") return &r;
  if (keyword == "includem") return &m;
  if (keyword == "includew") return &w;
  if (keyword == "includeb") return &b;
  if (keyword == "includea") return &a;
  return nullptr;
}

bool has_wildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// csh-style brace expansion: "{a,b}{c,d}" -> ac ad bc bd (check_pattern bounds the count).
std::vector<std::string> brace_alternatives(const std::string& pattern) {
  auto open = pattern.find('{');
  if (open == std::string::npos) return {pattern};
  int depth = 0;
  std::vector<std::size_t> commas;
  std::size_t close = std::string::npos;
  for (std::size_t i = open; i < pattern.size() && close == std::string::npos; ++i) {
    if (pattern[i] == '{') ++depth;
    else if (pattern[i] == '}' && --depth == 0) close = i;
    else if (pattern[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string::npos) return {pattern};  // unbalanced: taken literally
  std::vector<std::string> out;
  std::size_t from = open + 1;
  commas.push_back(close);
  for (std::size_t c : commas) {
    for (auto& rest : brace_alternatives(pattern.substr(from, c - from) + pattern.substr(close + 1)))
      out.push_back(pattern.substr(0, open) + rest);
    from = c + 1;
  }
  return out;
}

std::string directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  if (slash == std::string::npos) return {};
  return file.substr(0, slash + 1);
}

std::string q(const std::string& s) { return "'" + s + "'"; }

// glob(3) expands every brace alternative separately: `{a,b}{a,b}...` thirty times over
// would be 2^30 globs. Few groups with few alternatives keep it to a few thousand.
constexpr std::size_t k_max_brace_groups = 4, k_max_brace_commas = 32;

void check_pattern(const syntax::word& pattern, const std::string& kw) {
  auto groups = static_cast<std::size_t>(std::count(pattern.text.begin(), pattern.text.end(), '{'));
  auto commas = static_cast<std::size_t>(std::count(pattern.text.begin(), pattern.text.end(), ','));
  if (groups > k_max_brace_groups || commas > k_max_brace_commas)
    throw config_error(pattern.where, "a pattern with " + std::to_string(groups) + " '{' and " +
                                          std::to_string(commas) + " ','",
                       "at most " + std::to_string(k_max_brace_groups) + " '{' and " +
                           std::to_string(k_max_brace_commas) + " ',' in the pattern of " + kw);
}

// Receives statements, includes resolved: the validator at the top level of the load,
// the list being built inside a block.
using sink = std::function<void(syntax::node&&)>;

class loader {
public:
  loader(config& cfg, file_source& files, const load_limits& limits, const std::string& config_id)
      : cfg_(cfg), files_(files), limits_(limits),
        pre_(config_id.empty() ? pre::default_config_id() : config_id, pre_limits(limits)) {
    pre_.on_include = [this](const std::string& kw, const std::string& pattern, const source_pos& kw_at,
                             const source_pos& pattern_at) { read_early(kw, pattern, kw_at, pattern_at); };
  }

  // Reads one file within the limits; `at` is where it was asked for (the include's
  // pattern, or the file itself for the top-level file). nullopt: unreadable.
  std::optional<std::string> read(const std::string& path, const source_pos& at, const std::string& why) {
    if (files_read_ >= limits_.max_files)
      throw config_error(at, "one file more than " + std::to_string(limits_.max_files) + " (" + q(path) + ")",
                         "at most " + std::to_string(limits_.max_files) +
                             " files read in one configuration (includes counted each time)");
    file_read r = files_.read(path, limits_.max_file_bytes);
    switch (r.result) {
      case file_read::status::unreadable: return std::nullopt;
      case file_read::status::not_regular:
        throw config_error(at, q(path) + " (" + r.kind + ")", "a regular file for " + why);
      case file_read::status::too_large:
        throw config_error(at, q(path) + " of more than " + std::to_string(limits_.max_file_bytes) + " bytes",
                           "at most " + std::to_string(limits_.max_file_bytes) + " bytes in one file");
      case file_read::status::ok: break;
    }
    ++files_read_;
    total_bytes_ += r.text.size();
    if (total_bytes_ > limits_.max_total_bytes)
      throw config_error(at, q(path) + ", bringing the files read to " + std::to_string(total_bytes_) + " bytes",
                         "at most " + std::to_string(limits_.max_total_bytes) +
                             " bytes in all files of one configuration");
    cfg_.files.push_back(path);
    return std::move(r.text);
  }

  // Each statement of the text at the level of the load given by the depths, to `out`.
  void parse_text(const std::string& text, const std::string& name, int include_depth, int block_depth,
                  const sink& out) {
    parse_output(text, pre::preprocess(text, name, pre_), name, include_depth, block_depth, out);
  }

private:
  // A file of an include, read (and preprocessed, when `out` is set) where it was asked for.
  struct included {
    std::string path;
    std::optional<std::string> text;  // nullopt: unreadable
    std::optional<pre::output> out;
  };
  using position_key = std::tuple<std::string, int, int>;
  static position_key key_of(const source_pos& p) { return {p.file.str(), p.line, p.column}; }

  // The whole text is checked first: a syntax error or a limit anywhere in it is reported
  // before any of its includes is read and before anything is validated, as when the file
  // was parsed whole. Then each top-level statement is built, spliced and handed on alone.
  void parse_output(const std::string& text, const pre::output& o, const std::string& name, int include_depth,
                    int block_depth, const sink& out) {
    syntax::parser p(o.unchanged ? std::string_view(text) : std::string_view(o.text), name,
                     {block_depth, limits_.max_block_depth, limits_.max_words, words_}, &o);
    words_ += p.check();
    std::string dir = directory_of(name);
    p.stream([&](syntax::node&& n) { place(std::move(n), dir, include_depth, block_depth, out); });
  }

  // One statement: an include is replaced by the statements of its files, a block has its
  // own includes spliced.
  void place(syntax::node&& n, const std::string& dir, int include_depth, int block_depth, const sink& out) {
    if (const include_checks* checks = include_variant(n.keyword.text)) {
      include(n, *checks, dir, include_depth, block_depth, out);
      return;
    }
    if (n.has_block) n.children = splice(n.children, dir, include_depth, block_depth + 1);
    out(std::move(n));
  }

  // An include line met by the preprocessor (pre::state::on_include): its files are read and
  // preprocessed now, before the including file's next line, and kept for the splice. What
  // cannot be done here (too deep, a pattern out of bounds) is left to include(), which
  // reports it where it did before.
  void read_early(const std::string& kw, const std::string& pattern, const source_pos& kw_at,
                  const source_pos& pattern_at) {
    if (early_depth_ + 1 >= limits_.max_include_depth) return;
    auto braces = std::count(pattern.begin(), pattern.end(), '{');
    auto commas = std::count(pattern.begin(), pattern.end(), ',');
    if (static_cast<std::size_t>(braces) > k_max_brace_groups || static_cast<std::size_t>(commas) > k_max_brace_commas)
      return;
    std::string dir = directory_of(kw_at.file.str());
    std::vector<included> found;
    for (auto& f : files_.glob(!pattern.empty() && pattern.front() == '/' ? pattern : dir + pattern)) {
      included e{f, read(f, pattern_at, kw), std::nullopt};
      if (e.text) {
        ++early_depth_;
        e.out = pre::preprocess(*e.text, f, pre_);
        --early_depth_;
      }
      found.push_back(std::move(e));
    }
    early_[key_of(kw_at)].push_back(std::move(found));
  }

  // The files of an include: those read early for it, else read now.
  std::vector<included> files_of(const syntax::node& n, const std::string& full) {
    if (auto it = early_.find(key_of(n.keyword.where)); it != early_.end() && !it->second.empty()) {
      auto files = std::move(it->second.front());
      it->second.pop_front();
      return files;
    }
    std::vector<included> files;
    for (auto& f : files_.glob(full)) files.push_back(included{f, std::nullopt, std::nullopt});
    return files;
  }

  // Rebuilds a list only when it holds an include: a copy of a big tree would double
  // the peak memory of the load.
  syntax::tree splice(syntax::tree& nodes, const std::string& dir, int include_depth, int block_depth) {
    bool includes = std::any_of(nodes.begin(), nodes.end(),
                                [](const syntax::node& n) { return include_variant(n.keyword.text); });
    if (!includes) {
      for (auto& n : nodes)
        if (n.has_block) n.children = splice(n.children, dir, include_depth, block_depth + 1);
      return std::move(nodes);
    }
    syntax::tree out;
    sink append = [&](syntax::node&& m) { out.push_back(std::move(m)); };
    for (auto& n : nodes) place(std::move(n), dir, include_depth, block_depth, append);
    return out;
  }

  // The statements of the files of include statement `n`, to `out`.
  void include(const syntax::node& n, const include_checks& checks, const std::string& dir, int include_depth,
               int block_depth, const sink& out) {
    const std::string& kw = n.keyword.text;
    if (n.args.empty()) throw config_error(n.keyword.where, "end of line", "a file name pattern for " + kw);
    if (n.has_block) throw config_error(n.block_open, "'{'", "end of line (" + kw + " takes no block)");
    if (include_depth >= limits_.max_include_depth)
      throw config_error(n.keyword.where, "includes nested " + std::to_string(include_depth) + " deep",
                         "at most " + std::to_string(limits_.max_include_depth) + " levels (include loop?)");
    const syntax::word& pattern = n.args.front();
    for (std::size_t i = 1; i < n.args.size(); ++i)
      warn(n.args[i].where, "extra argument '" + n.args[i].text + "' to " + kw + " ignored");
    check_pattern(pattern, kw);
    std::string full = (!pattern.text.empty() && pattern.text.front() == '/') ? pattern.text : dir + pattern.text;

    auto files = files_of(n, full);
    bool wildcard = has_wildcard(full), braces = full.find('{') != std::string::npos;
    if (checks.brace_match && braces)
      for (const auto& alt : brace_alternatives(full))
        if (!has_wildcard(alt) && files_.glob(alt).empty())
          throw config_error(pattern.where, q(pattern.text) + " (no file '" + alt + "')",
                             "a file for each alternative in braces for " + kw);
    if (files.empty()) {
      if ((checks.wildcard_match && (wildcard || !braces)) || (checks.match && !wildcard && !braces))
        throw config_error(pattern.where, q(pattern.text), "a pattern matching at least one file for " + kw);
      // `match` lets a wildcard match nothing, but not in a directory that is not there
      // (keepalived: includem none/*.conf fails, includem empty_dir/*.conf loads).
      if (checks.match && wildcard && !braces) {
        auto slash = full.rfind('/', full.find_first_of("*?["));
        std::string parent = slash == std::string::npos ? std::string() : full.substr(0, slash);
        if (!parent.empty()) {
          file_read r = files_.read(parent, 0);
          if (r.result != file_read::status::not_regular || r.kind != "a directory")
            throw config_error(pattern.where, q(pattern.text) + " (no directory '" + parent + "')",
                               "a pattern in an existing directory for " + kw);
        }
      }
      warn(pattern.where, kw + " pattern '" + pattern.text + "' matches no file");
      return;
    }
    for (auto& file : files) {
      const std::string& f = file.path;
      if (!file.out) file.text = read(f, pattern.where, kw);  // not read early
      if (!file.text) {
        if (checks.readable)
          throw config_error(pattern.where, "unreadable file '" + f + "'", "a readable file for " + kw);
        warn(pattern.where, "cannot read included file '" + f + "'");
        continue;
      }
      if (file.out) parse_output(*file.text, *file.out, f, include_depth + 1, block_depth, out);
      else parse_text(*file.text, f, include_depth + 1, block_depth, out);
      file = included{};  // its text is no longer needed
    }
  }

  void warn(const source_pos& where, std::string message) {
    pending_.push_back(diagnostic{diagnostic::kind::warning, where, std::move(message)});
  }

public:
  std::vector<diagnostic> pending_;

private:
  config& cfg_;
  file_source& files_;
  const load_limits& limits_;
  pre::state pre_;  // definitions live across the files of one load
  std::map<position_key, std::deque<std::vector<included>>> early_;  // by include keyword, in order
  int early_depth_ = 0;
  int files_read_ = 0;
  std::size_t total_bytes_ = 0;
  std::size_t words_ = 0;  // in all the files parsed so far
};

// An error leaves with what was found before it: the loader's warnings and the files read.
template <class Step>
config keeping_found(loader& l, config& scratch, Step&& step) {
  try {
    return step();
  } catch (config_error& e) {
    e.carry(std::move(l.pending_), std::move(scratch.files));
    throw;
  }
}

// Parses `text` and validates each top-level statement as soon as it is complete.
config load_text(loader& l, config& scratch, const std::string& text, const std::string& name) {
  validator v;
  l.parse_text(text, name, 0, 0, [&](syntax::node&& n) { v.add(std::move(n)); });
  config cfg = v.finish();
  cfg.files = std::move(scratch.files);
  cfg.diagnostics.insert(cfg.diagnostics.begin(), l.pending_.begin(), l.pending_.end());
  return cfg;
}

// Whatever else goes wrong while loading (memory exhausted by a huge config, a string
// too long) is still a config that cannot be used: say so as a config_error, so that
// `keepalive -t` and the daemon's start-up report it instead of aborting.
template <class Load>
config guarded(const std::string& name, Load&& load) {
  try {
    return load();
  } catch (const config_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw config_error(source_pos{name, 0, 0}, "a configuration too large for memory",
                       "a smaller configuration");
  } catch (const std::exception& e) {
    throw config_error(source_pos{name, 0, 0}, std::string("an internal error (") + e.what() + ")",
                       "a configuration this version can load");
  }
}

} // namespace

config load_file(const std::string& path, file_source& files, const load_limits& limits,
                 const std::string& config_id) {
  return guarded(path, [&] {
    config scratch;
    loader l(scratch, files, limits, config_id);
    return keeping_found(l, scratch, [&] {
      source_pos whole{path, 0, 0};
      auto text = l.read(path, whole, "the configuration");
      if (!text) throw config_error(whole, q(path), "a readable configuration file");
      return load_text(l, scratch, *text, path);
    });
  });
}

config load_file(const std::string& path, const std::string& config_id) {
  return load_file(path, disk(), {}, config_id);
}

config load_string(const std::string& text, const std::string& name, const std::string& config_id) {
  return guarded(name, [&] {
    config scratch;
    load_limits limits;
    loader l(scratch, disk(), limits, config_id);
    return keeping_found(l, scratch, [&] { return load_text(l, scratch, text, name); });
  });
}

} // namespace ka::config
