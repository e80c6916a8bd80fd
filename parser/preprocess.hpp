// The language around the keywords, between reading a file and the grammar (grammar.hpp),
// as keepalived.conf(5) 2.2.7 defines it ("ADVANCED CONFIGURATION"):
//   @ID line / @^ID line     the line only when the config id is (is not) ID
//   $NAME=value              a definition; a value ending in '\' goes on over the next lines
//   $NAME  ${NAME}           substitution (bare form only before whitespace or end of line),
//                            recursive, at use time; undefined names are left as written
//   ${_PWD} ${_INSTANCE} ${_RANDOM [MIN [MAX]]} ${_HASH} ${_BANG}   built-ins
//   ~SEQ(var, [start,] [step,] end) / ~SEQx(...) / ~LST(var, v1, v2...) / ~LST({a,b}, {1,2}...)
//                            the rest of the line once per value, nestable
// Output: the text the grammar reads, and where each of its lines came from, so that every
// position still names the original file:line:column (and says which expansion made it).
// Definitions live across the files of one load (state). Everything is bounded
// (preprocess_limits): expansion depth, line length, substitutions, iterations, bytes.
#pragma once
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parser/config.hpp"

namespace ka::config::pre {

struct preprocess_limits {
  int max_depth = 32;                         // macro inside macro inside ~SEQ ...
  std::size_t max_line_bytes = 64u << 10;     // one line after substitution
  std::size_t max_substitutions = 4000000;    // in one load
  long max_iterations = 100000;               // values of one ~SEQ / ~LST
  std::size_t max_total_bytes = 16u << 20;    // all text produced in one load
};

// Where one output line came from: a run of columns maps either one to one onto the
// original (verbatim) or, for text a substitution inserted, onto the '$' that asked for it.
struct segment {
  int out_col;
  int in_col;
  bool verbatim;
};
struct line_origin {
  file_name file;  // may carry a note: "in the expansion of $M", "in ~SEQ(N) with N=3"
  int line = 0;
  std::vector<segment> segs;  // empty: verbatim from column 1
};

struct output {
  bool unchanged = true;  // nothing to do: the grammar reads the original text
  std::string text;
  std::vector<line_origin> lines;  // one per line of text
  source_pos map(int line, int column) const;
};

// Definitions and counters of one load, shared by all its files in reading order.
class state {
public:
  explicit state(std::string config_id, preprocess_limits limits = {});
  const std::string& config_id() const { return config_id_; }
  const preprocess_limits& limits() const { return limits_; }
  std::unordered_map<std::string, std::string> defs;
  std::size_t substitutions = 0, total_bytes = 0;
  std::mt19937 random;
  // Called for each `include*` line written in a file (after its @ID test), before the
  // lines after it: the loader reads and preprocesses the included files there, so that
  // definitions pass between the files in reading order, as keepalived's do.
  std::function<void(const std::string& keyword, const std::string& pattern, const source_pos& keyword_at,
                     const source_pos& pattern_at)>
      on_include;

private:
  std::string config_id_;
  preprocess_limits limits_;
};

// The default config id (keepalived(8)): the host name up to its first '.'.
std::string default_config_id();

// Throws config_error with the original position.
output preprocess(std::string_view text, const std::string& file, state& st);

} // namespace ka::config::pre
