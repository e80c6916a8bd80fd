// The syntax tree of keepalived.conf text, before any meaning is given to it.
// One node per statement: a keyword, its argument words and an optional { block },
// every word carrying the file:line:column where it was written.
#pragma once
#include <string>
#include <vector>

#include "parser/config.hpp"

namespace ka::config::syntax {

struct word {
  std::string text;          // quotes removed
  source_pos where;          // first byte of the word (the opening quote if quoted)
  bool quoted = false;       // written as "..."
};

struct node {
  word keyword;
  std::vector<word> args;
  bool has_block = false;    // a { ... } followed (on the same or a later line)
  source_pos block_open;     // the '{' when has_block
  std::vector<node> children;
};

using tree = std::vector<node>;

} // namespace ka::config::syntax
