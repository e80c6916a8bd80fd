// Validation: syntax tree (includes already spliced) -> typed config model.
// Every keyword of keepalived.conf(5) (keepalived 2.2.7) is parsed and checked: types,
// ranges, required keywords, duplicates, references between blocks. Each bad statement
// is skipped and its error recorded; at the end one config_error holding them all is
// thrown (parser/load.hpp). Keywords the daemon does not act on yet become not_acted_on
// diagnostics, unknown keywords unknown_keyword ones (with the closest valid keyword);
// what keepalived accepts with a warning is a warning diagnostic.
#pragma once
#include <memory>

#include "parser/config.hpp"
#include "parser/syntax_tree.hpp"

namespace ka::config {

// Fills everything but config::files. router_id defaults to the host name.
config validate(const syntax::tree& root);

// The same, one top-level statement at a time (includes already spliced), in the order
// written: the loader validates each as soon as it is parsed and frees it, so that the
// syntax tree of a big config never exists whole. The checks across blocks run in finish().
class validator {
public:
  validator();
  ~validator();
  validator(const validator&) = delete;
  validator& operator=(const validator&) = delete;
  void add(syntax::node&& statement);
  void add(const syntax::tree& statements);
  // Once, after the last add(); throws the config_error holding every error found.
  config finish();

private:
  void flush(bool more_follows);
  struct state;
  std::unique_ptr<state> state_;
};

} // namespace ka::config
