// Conditional lines, definitions, substitution and sequence lines (preprocess.hpp).
// Behaviour checked against keepalived 2.2.7 (`keepalived -t`, and its -d dump):
// - `@ID` / `@^ID`: the word runs to the first blank; a line not selected is dropped.
// - `$NAME=value`: only blanks before '$', no blank before '='; NAME is [A-Za-z_][A-Za-z0-9_]*
//   (`$A =1`, `$1A=2`, `$=1` are no definitions, and stay as text). The value loses its
//   comment and outer blanks. A value ending in '\' goes on over the following lines,
//   each ending in '\' but the last; a blank line ends it.
// - `$NAME` is replaced only before a blank or the end of the line (`$A|` is left alone);
//   `${NAME}` anywhere. Undefined names stay as written.
// - ~SEQ(var, end) starts at 1 (or -1 when end < 0), ~SEQ(var, start, end) steps by 1 or
//   -1 towards end; a step of 0 is an error. ~SEQx writes the values in lower-case hex.
//   Several on one line nest, the first outermost.
// - An `include` line (as written, not made by an expansion) has its files read and
//   preprocessed before the next line (state::on_include), so definitions pass between
//   the files in reading order.
// Differences, on purpose: a recursive definition ($A=${A}x) is an error here (keepalived
// cuts the line at its buffer size); ${_HASH} / ${_BANG} are only replaced inside a quoted string
// (outside one the grammar would take them for a comment): elsewhere they are an error.
#include "parser/preprocess.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

#include "parser/load.hpp"

namespace ka::config::pre {

source_pos output::map(int line, int column) const {
  if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return source_pos{{}, line, column};
  const line_origin& o = lines[static_cast<std::size_t>(line - 1)];
  source_pos p{o.file, o.line, column};
  auto it = std::upper_bound(o.segs.begin(), o.segs.end(), column,
                             [](int c, const segment& s) { return c < s.out_col; });
  if (it != o.segs.begin()) {
    --it;
    p.column = it->verbatim ? it->in_col + (column - it->out_col) : it->in_col;
  }
  return p;
}

state::state(std::string config_id, preprocess_limits limits)
    : random(std::random_device{}()), config_id_(std::move(config_id)), limits_(limits) {}

std::string default_config_id() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  std::string h = buf;
  return h.substr(0, h.find('.'));
}

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && blank(s[i])) ++i;
  return i;
}

std::string_view trim(std::string_view s) {
  std::size_t b = skip_blanks(s, 0), e = s.size();
  while (e > b && blank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Up to an unquoted '#' or '!' (the grammar's comments).
std::string_view before_comment(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    else if (!quoted && (s[i] == '#' || s[i] == '!')) return s.substr(0, i);
  }
  return s;
}

// `$NAME=` at i: the length of NAME, else 0.
std::size_t definition_at(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size() || s[i] != '$' || !name_start(s[i + 1])) return 0;
  std::size_t e = i + 1;
  while (e < s.size() && name_char(s[e])) ++e;
  return e < s.size() && s[e] == '=' ? e - i - 1 : 0;
}

std::string q(std::string_view s) {
  constexpr std::size_t shown = 80;
  return "'" + std::string(s.substr(0, shown)) + (s.size() > shown ? "...'" : "'");
}

class processor {
public:
  processor(std::string_view text, const std::string& file, state& st) : text_(text), file_(file), st_(st) {
    auto slash = file.rfind('/');
    pwd_ = slash == std::string::npos ? "." : slash == 0 ? "/" : file.substr(0, slash);
  }

  output run() {
    std::vector<std::string_view> lines;
    for (std::size_t b = 0;;) {
      std::size_t e = text_.find('\n', b);
      lines.push_back(text_.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
      if (e == std::string_view::npos) break;
      b = e + 1;
    }
    if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the file's last '\n'
    for (std::size_t i = 0; i < lines.size(); ++i) {
      int number = static_cast<int>(i) + 1;
      std::string logical(lines[i]);
      // A definition whose value ends in '\' takes the following lines, up to one that does not.
      if (multi_line_definition(logical)) {
        logical = std::string(trim_right_backslash(logical));
        while (i + 1 < lines.size() && !trim(lines[i + 1]).empty()) {
          std::string_view next = lines[++i];
          bool more = ends_in_backslash(next);
          logical += '\n';
          logical += more ? trim_right_backslash(next) : next;
          if (!more) break;
        }
      }
      line(logical, origin{file_, number, {}}, 0);
    }
    return std::move(out_);
  }

private:
  struct origin {
    file_name file;
    int line;
    std::vector<segment> segs;  // as line_origin
    source_pos at(int col) const {
      line_origin o{file, line, segs};
      output tmp;
      tmp.lines.push_back(std::move(o));
      return tmp.map(1, col);
    }
  };

  static bool ends_in_backslash(std::string_view s) {
    s = trim(s);
    return !s.empty() && s.back() == '\\';
  }
  static std::string_view trim_right_backslash(std::string_view s) {
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    if (!s.empty() && s.back() == '\\') s.remove_suffix(1);
    return s;
  }
  // `[@ID ]$NAME=... \`
  static bool multi_line_definition(std::string_view s) {
    std::size_t p = skip_blanks(s, 0);
    if (p < s.size() && s[p] == '@') {
      while (p < s.size() && !blank(s[p])) ++p;
      p = skip_blanks(s, p);
    }
    return definition_at(s, p) && ends_in_backslash(before_comment(s));
  }

  [[noreturn]] void fail(const origin& o, int col, std::string found, std::string expected) {
    throw config_error(o.at(col), std::move(found), std::move(expected));
  }

  void deeper(const origin& o, int col, int depth) {
    if (depth > st_.limits().max_depth)
      fail(o, col, "expansions nested " + std::to_string(depth) + " deep",
           "at most " + std::to_string(st_.limits().max_depth) +
               " nested substitutions and sequences (a definition that uses itself?)");
  }

  void emit(std::string text, origin o) {
    st_.total_bytes += text.size() + 1;
    if (st_.total_bytes > st_.limits().max_total_bytes)
      fail(o, 1, "expansions bringing the text to " + std::to_string(st_.total_bytes) + " bytes",
           "at most " + std::to_string(st_.limits().max_total_bytes) + " bytes of configuration text in one load");
    out_.text += text;
    out_.text += '\n';
    out_.lines.push_back(line_origin{std::move(o.file), o.line, std::move(o.segs)});
  }

  // One logical line (maybe several when a multi-line value was substituted in).
  void line(std::string text, origin o, int depth) {
    deeper(o, 1, depth);
    std::size_t p = skip_blanks(text, 0);
    if (p < text.size() && text[p] == '@') {
      bool negate = p + 1 < text.size() && text[p + 1] == '^';
      std::size_t b = p + (negate ? 2 : 1), e = b;
      while (e < text.size() && !blank(text[e]) && text[e] != '\n') ++e;
      if ((std::string_view(text).substr(b, e - b) == st_.config_id()) == negate) return;
      std::fill(text.begin() + static_cast<long>(p), text.begin() + static_cast<long>(e), ' ');  // columns kept
      p = skip_blanks(text, e);
    }
    if (depth == 0 && st_.on_include) include_line(text, p, o);
    if (std::size_t n = definition_at(text, p)) {
      define(text.substr(p + 1, n), std::string_view(text).substr(p + n + 2));
      return;
    }
    if (text.compare(p, 5, "~SEQ(") == 0 || text.compare(p, 6, "~SEQx(") == 0 || text.compare(p, 5, "~LST(") == 0) {
      sequence(text, p, o, depth);
      return;
    }
    substituted(text, o, depth);
  }

  // `include PATTERN` as written in the file (keepalived substitutes nothing in it).
  void include_line(const std::string& text, std::size_t p, const origin& o) {
    std::size_t e = p;
    while (e < text.size() && !blank(text[e])) ++e;
    std::string_view kw = std::string_view(text).substr(p, e - p);
    if (kw != "include" && kw != "includer" && kw != "includem" && kw != "includew" && kw != "includeb" &&
        kw != "includea")
      return;
    std::size_t b = skip_blanks(text, e);
    if (b >= text.size()) return;
    std::size_t end = b, at = b;
    if (text[b] == '"') {
      end = text.find('"', b + 1);
      if (end == std::string::npos) return;  // the grammar will say so
      ++b;
    } else {
      // Braces belong to the pattern (glob's brace expansion), as in the grammar.
      while (end < text.size() && !blank(text[end]) && text[end] != '#' && text[end] != '!') ++end;
    }
    st_.on_include(std::string(kw), text.substr(b, end - b), o.at(static_cast<int>(p) + 1),
                   o.at(static_cast<int>(at) + 1));
  }

  void define(std::string name, std::string_view value) {
    std::size_t nl = value.find('\n');
    std::string v(trim(before_comment(value.substr(0, nl))));
    if (nl != std::string_view::npos) {  // multi-line: the first line's part, then each line
      std::string rest(value.substr(nl + 1));
      v = v.empty() ? rest : v + "\n" + rest;
    }
    st_.defs[std::move(name)] = std::move(v);
  }

  // ---------------------------------------------------------------- substitution
  struct subst_out {
    std::string text;
    std::vector<segment> segs;
    std::string first_name;  // the first name replaced, for notes
  };

  void substituted(const std::string& text, origin o, int depth) {
    if (text.find('$') == std::string::npos) {
      emit(text, std::move(o));
      return;
    }
    subst_out r;
    bool changed = substitute(text, r, o, depth, true);
    if (!changed) {
      emit(text, std::move(o));
      return;
    }
    // What the substitution made may be several lines, a conditional, a definition or a
    // sequence: each goes through line() again, all pointing at the first '$'.
    std::size_t p = skip_blanks(r.text, 0);
    bool again = r.text.find('\n') != std::string::npos ||
                 (p < r.text.size() && (r.text[p] == '@' || r.text[p] == '~' || definition_at(r.text, p)));
    if (!again) {
      o.segs = map_through(o, r.segs);
      if (o.file.note().empty()) o.file = file_name(o.file.str(), "after substituting $" + r.first_name);
      emit(std::move(r.text), std::move(o));
      return;
    }
    int dollar = r.segs.size() > 1 ? r.segs[1].in_col : 1;
    source_pos at = o.at(dollar);
    origin inner{file_name(at.file.str(), "in the expansion of $" + r.first_name), at.line,
                 {segment{1, at.column, false}}};
    std::string_view all(r.text);
    for (std::size_t b = 0;;) {
      std::size_t e = all.find('\n', b);
      line(std::string(all.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b)), inner,
           depth + 1);
      if (e == std::string_view::npos) break;
      b = e + 1;
    }
  }

  // Segments of a substituted line are relative to the line as given; compose them with
  // the line's own origin so that they name the original columns.
  static std::vector<segment> map_through(const origin& o, const std::vector<segment>& segs) {
    std::vector<segment> out;
    for (const auto& s : segs) {
      source_pos at = o.at(s.in_col);
      bool verbatim = s.verbatim && (o.segs.empty() || o.segs.front().verbatim);
      out.push_back(segment{s.out_col, at.column, verbatim});
    }
    return out;
  }

  // Appends `in` to r.text with every known reference replaced, recursively. Top: `in` is
  // the line as written (segments are recorded, comments are left alone).
  bool substitute(std::string_view in, subst_out& r, const origin& o, int depth, bool top, int at_col = 1) {
    deeper(o, at_col, depth);
    bool changed = false, quoted = false;
    auto col_of = [&](std::size_t i) { return top ? static_cast<int>(i) + 1 : at_col; };
    auto out_col = [&] { return static_cast<int>(r.text.size()) + 1; };
    if (top) r.segs.push_back(segment{1, 1, true});
    for (std::size_t i = 0; i < in.size();) {
      char c = in[i];
      if (c == '"') quoted = !quoted;
      if (top && !quoted && (c == '#' || c == '!')) {  // a comment: as written
        r.text.append(in.substr(i));
        break;
      }
      if (c != '$' || i + 1 >= in.size()) {
        append(r, in.substr(i, 1), o, col_of(i));
        ++i;
        continue;
      }
      std::size_t end = 0;
      std::optional<std::string> value;
      std::string name;
      if (in[i + 1] == '{') {
        std::size_t close = in.find('}', i + 2);
        if (close != std::string_view::npos) {
          std::string_view inner = in.substr(i + 2, close - i - 2);
          name = std::string(inner.substr(0, inner.find(' ')));
          value = lookup(name, inner, quoted || !top, o, col_of(i));
          end = close + 1;
        }
      } else if (name_start(in[i + 1])) {
        std::size_t e = i + 1;
        while (e < in.size() && name_char(in[e])) ++e;
        if (e == in.size() || blank(in[e]) || in[e] == '\n') {
          name = std::string(in.substr(i + 1, e - i - 1));
          if (auto d = st_.defs.find(name); d != st_.defs.end()) value = d->second;
          end = e;
        }
      }
      if (!value) {
        append(r, in.substr(i, 1), o, col_of(i));
        ++i;
        continue;
      }
      if (++st_.substitutions > st_.limits().max_substitutions)
        fail(o, col_of(i), "substitution " + std::to_string(st_.substitutions),
             "at most " + std::to_string(st_.limits().max_substitutions) + " substitutions in one load");
      if (r.first_name.empty()) r.first_name = name;
      if (top) r.segs.push_back(segment{out_col(), col_of(i), false});
      // A multi-line value goes in as written: its lines are substituted one by one when
      // line() takes them (a ~SEQ line inside it must still repeat what follows it there).
      if (value->find('\n') != std::string::npos) append(r, *value, o, col_of(i));
      else substitute(*value, r, o, depth + 1, false, col_of(i));
      if (top) r.segs.push_back(segment{out_col(), col_of(end), true});
      changed = true;
      i = end;
    }
    return changed;
  }

  void append(subst_out& r, std::string_view s, const origin& o, int col) {
    if (r.text.size() + s.size() > st_.limits().max_line_bytes)
      fail(o, col, "a line growing past " + std::to_string(st_.limits().max_line_bytes) + " bytes by substitution",
           "at most " + std::to_string(st_.limits().max_line_bytes) + " bytes in one line after substitution");
    r.text.append(s);
  }

  // ${inner}: a definition or a built-in; nullopt: left as written.
  std::optional<std::string> lookup(const std::string& name, std::string_view inner, bool quoted,
                                    const origin& o, int col) {
    if (auto d = st_.defs.find(name); d != st_.defs.end()) return d->second;
    if (name == "_PWD") return pwd_;
    if (name == "_INSTANCE") return st_.config_id();
    if (name == "_RANDOM") return random(inner.substr(name.size()), o, col);
    if (name == "_HASH" || name == "_BANG") {
      if (!quoted)
        fail(o, col, "${" + name + "} outside a quoted string",
             "${" + name + "} inside \"...\" (elsewhere this version would read it as a comment)");
      return std::string(name == "_HASH" ? "#" : "!");
    }
    return std::nullopt;
  }

  std::string random(std::string_view args, const origin& o, int col) {
    long bounds[2] = {0, 32767};
    std::size_t n = 0, i = skip_blanks(args, 0);
    while (i < args.size()) {
      std::size_t e = i;
      while (e < args.size() && !blank(args[e])) ++e;
      auto v = number(args.substr(i, e - i), 10);
      if (n >= 2 || !v || *v < 0)
        fail(o, col, q(std::string("${_RANDOM") + std::string(args) + "}"),
             "${_RANDOM [MIN [MAX]]} with MIN and MAX non-negative integers");
      bounds[n++] = *v;
      i = skip_blanks(args, e);
    }
    if (bounds[0] > bounds[1])
      fail(o, col, "${_RANDOM} with MIN " + std::to_string(bounds[0]) + " above MAX " + std::to_string(bounds[1]),
           "MIN <= MAX");
    return std::to_string(std::uniform_int_distribution<long>(bounds[0], bounds[1])(st_.random));
  }

  // ---------------------------------------------------------------- ~SEQ / ~LST
  // A decimal (or 0x hex) integer within +-10^15, else nullopt.
  static std::optional<long> number(std::string_view s, int) {
    bool neg = !s.empty() && s[0] == '-';
    if (neg || (!s.empty() && s[0] == '+')) s.remove_prefix(1);
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      base = 16;
      s.remove_prefix(2);
    }
    if (s.empty() || s.size() > 15) return std::nullopt;
    long v = 0;
    for (char c : s) {
      int d = c >= '0' && c <= '9' ? c - '0' : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::nullopt;
      v = v * base + d;
    }
    return neg ? -v : v;
  }

  struct arg {
    std::string text;
    int col;
  };

  // The arguments between '(' at `open` and its ')': split at ',' (and blanks for ~SEQ),
  // `{...}` kept whole. Returns the index just past ')'.
  std::size_t arguments(const std::string& text, std::size_t open, bool blanks_split, std::vector<arg>& args,
                        const origin& o, const std::string& kw) {
    std::size_t i = open + 1;
    std::string cur;
    int cur_col = 0, braces = 0;
    auto flush = [&] {
      if (!cur.empty()) args.push_back(arg{cur, cur_col});
      cur.clear();
    };
    for (; i < text.size() && text[i] != '\n'; ++i) {
      char c = text[i];
      if (c == ')' && braces == 0) {
        flush();
        return i + 1;
      }
      if (c == '{') ++braces;
      if (c == '}') --braces;
      if (braces == 0 && (c == ',' || (blanks_split && blank(c)))) {
        flush();
        continue;
      }
      if (braces == 0 && blank(c) && cur.empty()) continue;
      if (cur.empty()) cur_col = static_cast<int>(i) + 1;
      cur += c;
    }
    fail(o, static_cast<int>(open - kw.size()) + 1, q(text.substr(open - kw.size())), "')' closing " + kw + "(");
  }

  void sequence(std::string text, std::size_t p, const origin& o, int depth) {
    bool lst = text[p + 1] == 'L', hex = text[p + 4] == 'x';
    std::string kw = lst ? "~LST" : hex ? "~SEQx" : "~SEQ";
    std::vector<arg> args;
    std::size_t after = arguments(text, p + kw.size(), !lst, args, o, kw);
    std::vector<std::string> vars;
    std::vector<std::vector<std::string>> values;
    int kw_col = static_cast<int>(p) + 1;
    if (lst)
      list_values(args, vars, values, o, kw_col);
    else
      seq_values(args, hex, vars, values, o, kw_col);
    std::fill(text.begin(), text.begin() + static_cast<long>(after), ' ');  // columns kept
    std::vector<std::optional<std::string>> saved;
    for (const auto& v : vars) {
      auto d = st_.defs.find(v);
      saved.push_back(d == st_.defs.end() ? std::nullopt : std::optional<std::string>(d->second));
    }
    for (const auto& set : values) {
      std::string note = kw + "(" + vars.front() + ") with ";
      for (std::size_t k = 0; k < vars.size(); ++k) {
        st_.defs[vars[k]] = set[k];
        note += (k ? ", " : "") + vars[k] + "=" + set[k];
      }
      line(text, origin{file_name(o.file.str(), note), o.line, o.segs}, depth + 1);
    }
    for (std::size_t k = 0; k < vars.size(); ++k) {  // the variable is not kept after the line
      if (saved[k]) st_.defs[vars[k]] = *saved[k];
      else st_.defs.erase(vars[k]);
    }
  }

  void check_var(const arg& a, const origin& o, const std::string& kw) {
    bool ok = !a.text.empty() && name_start(a.text[0]) &&
              std::all_of(a.text.begin(), a.text.end(), [](char c) { return name_char(c); });
    if (!ok) fail(o, a.col, q(a.text), "a variable name ([A-Za-z_][A-Za-z0-9_]*) first in " + kw + "(...)");
  }

  void seq_values(const std::vector<arg>& args, bool hex, std::vector<std::string>& vars,
                  std::vector<std::vector<std::string>>& values, const origin& o, int kw_col) {
    const std::string kw = hex ? "~SEQx" : "~SEQ";
    if (args.size() < 2 || args.size() > 4)
      fail(o, kw_col, kw + "(...) with " + std::to_string(args.size()) + " arguments",
           kw + "(var, end), " + kw + "(var, start, end) or " + kw + "(var, start, step, end)");
    check_var(args[0], o, kw);
    vars.push_back(args[0].text);
    long n[3] = {0, 0, 0};
    for (std::size_t k = 1; k < args.size(); ++k) {
      auto v = number(args[k].text, 10);
      if (!v) fail(o, args[k].col, q(args[k].text), "an integer in " + kw + "(...)");
      n[k - 1] = *v;
    }
    long end = n[args.size() - 2];
    long start = args.size() >= 3 ? n[0] : (end < 0 ? -1 : 1);
    long step = args.size() == 4 ? n[1] : (end < start ? -1 : 1);
    if (step == 0 || (end - start) / step < 0)
      fail(o, args[args.size() == 4 ? 2 : 1].col, "a step of " + std::to_string(step) + " from " +
                                                      std::to_string(start) + " to " + std::to_string(end),
           "a step that is not 0 and goes towards the end value in " + kw + "(...)");
    long count = (end - start) / step + 1;
    if (count > st_.limits().max_iterations)
      fail(o, kw_col, kw + "(...) of " + std::to_string(count) + " values",
           "at most " + std::to_string(st_.limits().max_iterations) + " values in one " + kw);
    for (long k = 0, v = start; k < count; ++k, v += step) {
      char buf[32];
      if (hex) std::snprintf(buf, sizeof buf, v < 0 ? "-%lx" : "%lx", v < 0 ? -v : v);
      else std::snprintf(buf, sizeof buf, "%ld", v);
      values.push_back({buf});
    }
  }

  static std::vector<arg> group(const arg& a) {
    std::vector<arg> out;
    std::string_view s(a.text);
    if (s.size() < 2 || s.front() != '{' || s.back() != '}') return {a};
    std::size_t b = 1;
    for (std::size_t i = 1; i < s.size(); ++i)
      if (s[i] == ',' || i + 1 == s.size()) {
        std::string_view piece = s.substr(b, i - b);
        std::size_t lead = skip_blanks(piece, 0);
        out.push_back(arg{std::string(trim(piece)), a.col + static_cast<int>(b + lead)});
        b = i + 1;
      }
    return out;
  }

  void list_values(const std::vector<arg>& args, std::vector<std::string>& vars,
                   std::vector<std::vector<std::string>>& values, const origin& o, int kw_col) {
    if (args.size() < 2)
      fail(o, kw_col, "~LST(...) with " + std::to_string(args.size()) + " arguments",
           "~LST(var, value...) or ~LST({var, var...}, {value, value...}...)");
    if (static_cast<long>(args.size() - 1) > st_.limits().max_iterations)
      fail(o, kw_col, "~LST(...) of " + std::to_string(args.size() - 1) + " values",
           "at most " + std::to_string(st_.limits().max_iterations) + " values in one ~LST");
    for (const auto& v : group(args[0])) {
      check_var(v, o, "~LST");
      vars.push_back(v.text);
    }
    for (std::size_t k = 1; k < args.size(); ++k) {
      auto set = group(args[k]);
      if (set.size() != vars.size())
        fail(o, args[k].col, q(args[k].text) + " (" + std::to_string(set.size()) + " values)",
             std::to_string(vars.size()) + " values, one per variable of ~LST");
      values.emplace_back();
      for (auto& s : set) values.back().push_back(std::move(s.text));
    }
  }

  std::string_view text_;
  file_name file_;
  std::string pwd_;
  state& st_;
  output out_{false, {}, {}};
};

// Nothing for this stage to do: no '$' anywhere, no line starting with '@' or '~'.
bool plain(std::string_view text) {
  if (text.find('$') != std::string_view::npos) return false;
  for (std::size_t b = 0; b < text.size();) {
    std::size_t p = skip_blanks(text, b);
    if (p < text.size() && (text[p] == '@' || text[p] == '~')) return false;
    std::size_t e = text.find('\n', p);
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  return true;
}

} // namespace

output preprocess(std::string_view text, const std::string& file, state& st) {
  if (plain(text)) {
    st.total_bytes += text.size();
    return {};
  }
  return processor(text, file, st).run();
}

} // namespace ka::config::pre
