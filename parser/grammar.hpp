// Spirit X3 grammar: keepalived.conf text -> syntax tree (parser/syntax_tree.hpp).
// Lexical rules (as keepalived 2.2.7): one statement per line, `keyword arg...`;
// `#` and `!` start a comment anywhere outside a "quoted string"; a "quoted string"
// is one word with the quotes removed (no escapes, it cannot span lines); a block
// `{ ... }` may open on the keyword's line or on a later line and may close on the
// line of its last statement (`global_defs { router_id r1 }`).
// `include` statements are left in the tree: the loader (load.cpp) resolves them.
#pragma once
#include <cstdint>
#include <functional>
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

// Reads one text in two passes, so that a big config never exists whole as a tree:
// check() only parses, and stops at the first syntax error or limit; stream() then builds
// one top-level statement at a time and hands it over, complete, before reading the next.
// Errors are config_error (parser/load.hpp) with the position of the offending token.
// `origins`: the text came out of the preprocessor (preprocess.hpp), whose map gives the
// positions. The text, the file name and `origins` must outlive the parser.
class parser {
public:
  parser(std::string_view text, const std::string& file_name, const parse_limits& limits = {},
         const pre::output* origins = nullptr);
  // The first pass; returns the number of words (keywords and arguments) in the text.
  std::size_t check();
  // The second pass, after check(): it cannot fail on the text any more, so what `sink`
  // is given is never undone by a syntax error further on. `sink` may throw: that ends it.
  void stream(const std::function<void(node&&)>& sink);
  // The number of top-level statements, known after check().
  std::size_t statements() const { return block_sizes_.empty() ? 0 : block_sizes_.front(); }

private:
  std::string_view text_;
  const std::string& file_;
  parse_limits limits_;
  const pre::output* origins_;
  // From the first pass, in the order the parse meets them: the statements of the top
  // level and of every block, and the arguments of every statement. The second reserves
  // each list at its final size: a vector that grows by doubling holds its nodes up to
  // three times over while it moves.
  std::vector<std::uint32_t> block_sizes_, arg_sizes_;
};

// Both passes at once: the whole text as one tree (the tests, and small texts).
tree parse(std::string_view text, const std::string& file_name, const parse_limits& limits = {},
           const pre::output* origins = nullptr);

} // namespace ka::config::syntax
