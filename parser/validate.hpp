// Validation: syntax tree (includes already spliced) -> typed config model.
// Every value is range-checked; errors throw config_error naming the offending
// word. Recognised-but-not-implemented keywords and unknown keywords are not
// errors here: they become diagnostics (kinds not_acted_on / unknown_keyword) and
// their blocks are skipped. The keyword vocabulary is that of keepalived.conf(5),
// keepalived 2.2.7.
#pragma once
#include "parser/config.hpp"
#include "parser/syntax_tree.hpp"

namespace ka::config {

// Fills everything but config::files. router_id defaults to the host name.
config validate(const syntax::tree& root);

} // namespace ka::config
