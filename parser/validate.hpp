// Validation: syntax tree (includes already spliced) -> typed config model.
// Every keyword of keepalived.conf(5) (keepalived 2.2.7) is parsed and checked: types,
// ranges, required keywords, duplicates, references between blocks. Each bad statement
// is skipped and its error recorded; at the end one config_error holding them all is
// thrown (parser/load.hpp). Keywords the daemon does not act on yet become not_acted_on
// diagnostics, unknown keywords unknown_keyword ones (with the closest valid keyword);
// what keepalived accepts with a warning is a warning diagnostic.
#pragma once
#include "parser/config.hpp"
#include "parser/syntax_tree.hpp"

namespace ka::config {

// Fills everything but config::files. router_id defaults to the host name.
config validate(const syntax::tree& root);

} // namespace ka::config
