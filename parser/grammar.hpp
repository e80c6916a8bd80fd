// Spirit X3 grammar: keepalived.conf text -> syntax tree (parser/syntax_tree.hpp).
// Lexical rules (as keepalived 2.2.7): one statement per line, `keyword arg...`;
// `#` and `!` start a comment anywhere outside a "quoted string"; a "quoted string"
// is one word with the quotes removed (no escapes, it cannot span lines); a block
// `{ ... }` may open on the keyword's line or on a later line and may close on the
// line of its last statement (`global_defs { router_id r1 }`).
// `include` statements are left in the tree: the loader (load.cpp) resolves them.
#pragma once
#include <string>
#include <string_view>

#include "parser/preprocess.hpp"
#include "parser/source.hpp"
#include "parser/syntax_tree.hpp"

namespace ka::config::syntax {

struct parse_limits {
  // Blocks may nest at most max_depth deep, counting outer_depth blocks that enclose the
  // text already (an included file inside a block): the parser recurses once per block,
  // and the stack must not be what ends a deeply nested config.
  int outer_depth = 0;
  int max_depth = load_limits{}.max_block_depth;
  // Keywords and arguments, words_before of them in the files read before this one:
  // each costs a hundred bytes or so in the tree.
  std::size_t max_words = load_limits{}.max_words;
  std::size_t words_before = 0;
};

// Throws config_error (parser/load.hpp) with the position of the offending token. `origins`:
// the text came out of the preprocessor (preprocess.hpp), whose map gives the positions.
tree parse(std::string_view text, const std::string& file_name, const parse_limits& limits = {},
           const pre::output* origins = nullptr);

} // namespace ka::config::syntax
