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

#include "parser/syntax_tree.hpp"

namespace ka::config::syntax {

// Throws config_error (parser/load.hpp) with the position of the offending token.
tree parse(std::string_view text, const std::string& file_name);

} // namespace ka::config::syntax
