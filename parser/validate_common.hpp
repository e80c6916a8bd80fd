// Internal to validation (parser/validate*.cpp): the context that collects errors and
// diagnostics, argument readers, and the keyword tables every block kind is written as.
// One table row per keyword; generic rows (field<>, keep<>) cover the plain keywords,
// and a function of its own handles anything with structure.
#pragma once
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parser/config.hpp"
#include "parser/load.hpp"
#include "parser/syntax_tree.hpp"

namespace ka::config::detail {

using syntax::node;
using syntax::word;
using dkind = diagnostic::kind;

std::string q(const std::string& s);
std::string num(double d);
[[noreturn]] void fail(const source_pos& at, std::string found, std::string expected);

struct context {
  explicit context(config& into) : cfg(into) {}
  config& cfg;
  std::vector<config_error> errors;  // every error; validate() throws them together
  bool quiet = false;                // inside a block already reported as not acted on
  std::size_t dropped = 0;
  bool dropped_unknown = false;
  bool more_follows = false;         // top-level statements follow the list being dispatched
  source_pos first_dropped;
  std::size_t dropped_errors = 0;
  void diag(dkind k, const source_pos& at, std::string message, std::string keyword = {});
  bool full() const;  // further diagnostics are only counted
  void finish_diagnostics();
  void error(const config_error& e);
  // Runs one step; a config_error it throws is recorded and validation goes on.
  template <class F>
  void attempt(F&& step) {
    try {
      step();
    } catch (const config_error& e) {
      error(e);
    }
  }
};

// ------------------------------------------------------------------ arguments
const word& arg(const node& n, std::size_t i);
void no_more_args(context& c, const node& n, std::size_t used);
void no_args(context& c, const node& n);
std::string single_arg(context& c, const node& n);
std::optional<long long> parse_uint(const std::string& s);
std::optional<double> parse_decimal(const std::string& s);
long long integer_arg(const node& n, std::size_t i, long long lo, long long hi);
// An optional '-' then digits; `what` names the value in the error (default: the keyword).
long long signed_arg(const node& n, std::size_t i, long long lo, long long hi, const std::string& what = "");
double seconds_arg(const node& n, std::size_t i, double lo, double hi);
bool bool_word(const node& n, const word& w);  // on|off|true|false|yes|no
// A flag that may be followed by a <BOOL> (keepalived: absent means true).
bool flag_arg(context& c, const node& n);
std::string interface_arg(const node& n, const word& w);
proto::ip_address address_arg(const node& n, const word& w);
int port_arg(const node& n, std::size_t i);
// `weight N [reverse]` at args[i..]; weights of tracked objects are lo..hi.
void weight_args(context& c, const node& n, std::size_t i, long long lo, long long hi, int& weight,
                 bool& reverse);
// A required keyword missing from `block NAME { }`: an error at the block's keyword.
void require(bool present, const node& block, const std::string& name, const std::string& keyword);
// Records an interface named by the config, for the daemon's existence check.
void note_interface(context& c, const std::string& name, const source_pos& at);

// ------------------------------------------------------------------ tables
enum class block_use { forbidden, required, optional };

template <class Target>
struct handler {
  std::string_view keyword;
  void (*fn)(context&, Target&, const node&);
  block_use block = block_use::forbidden;
};

// Another spelling keepalived reads. A deprecated one loads with a warning naming the
// new one; a plain synonym (mcast_src_ip) silently.
struct alias {
  std::string_view old_name, new_name;
  bool deprecated = true;
};

void check_block(const node& n, block_use use);
// The single list of keywords the daemon acts on (validate_common.cpp).
bool in_effect(std::string_view block, std::string_view keyword);
std::string closest(std::string_view typo, const std::vector<std::string_view>& candidates);
void report_unknown(context& c, const node& n, const std::vector<std::string_view>& candidates);
void report_deprecated(context& c, const node& n, std::string_view new_name);

// Runs each statement of `nodes` through `table`: unknown keywords get a diagnostic
// (with the closest valid one), keywords not in effect a not_acted_on diagnostic
// (once per block: inside such a block, nothing more), errors are collected.
template <class Target, std::size_t N>
void dispatch(context& c, std::string_view block, Target& target, const std::vector<node>& nodes,
              const handler<Target> (&table)[N], const std::vector<alias>& aliases = {}) {
  for (const node& n : nodes) {
    std::string_view name = n.keyword.text;
    auto old = std::find_if(aliases.begin(), aliases.end(), [&](const alias& a) { return a.old_name == name; });
    auto h = std::find_if(std::begin(table), std::end(table), [&](const handler<Target>& e) {
      return e.keyword == (old == aliases.end() ? name : old->new_name);
    });
    if (h == std::end(table)) {
      std::vector<std::string_view> names;
      for (const auto& e : table) names.push_back(e.keyword);
      for (const auto& a : aliases) names.push_back(a.old_name);
      report_unknown(c, n, names);
      continue;
    }
    if (old != aliases.end() && old->deprecated) report_deprecated(c, n, old->new_name);
    // Past here an old spelling is its new name: the model keeps one name per keyword.
    std::optional<node> renamed;
    if (old != aliases.end()) renamed = n, renamed->keyword.text = std::string(old->new_name);
    // keepalived looks for a block's '{' on the next line; after the config's last line
    // there is none and it reads an empty block (`global_defs` alone loads, keepalived -t 0).
    if (block.empty() && &n == &nodes.back() && !c.more_follows && h->block == block_use::required && !n.has_block) {
      if (!renamed) renamed = n;
      renamed->has_block = true;
      c.diag(dkind::warning, n.keyword.where, q(n.keyword.text) + " without '{' at the end of the configuration: "
                                              "read as an empty block");
    }
    const node& stmt = renamed ? *renamed : n;
    c.attempt([&] {
      check_block(stmt, h->block);
      bool acted = in_effect(block, h->keyword);
      if (!acted && !c.quiet)
        c.diag(dkind::not_acted_on, n.keyword.where,
               q(n.keyword.text) + " is not acted on by this version" + (n.has_block ? " (nor its block)" : ""),
               n.keyword.text);
      bool was_quiet = c.quiet;
      c.quiet = was_quiet || !acted;
      try {
        h->fn(c, target, stmt);
      } catch (...) {
        c.quiet = was_quiet;
        throw;
      }
      c.quiet = was_quiet;
    });
  }
}

// ------------------------------------------------------------------ generic rows
// Targets are the model struct or a state wrapping it (model_of gives the struct).
template <class T>
T& model_of(T& t) {
  return t;
}

template <class F>
struct value_of {
  using type = F;
};
template <class F>
struct value_of<std::optional<F>> {
  using type = F;
};

// An unsigned integer lo..hi into a field (int, long, optional<int>, ...).
template <class Target, auto M, long long Lo, long long Hi>
void uint_field(context& c, Target& t, const node& n) {
  auto& f = model_of(t).*M;
  f = static_cast<typename value_of<std::decay_t<decltype(f)>>::type>(integer_arg(n, 0, Lo, Hi));
  no_more_args(c, n, 1);
}

template <class Target, auto M, long long Lo, long long Hi>
void sint_field(context& c, Target& t, const node& n) {
  auto& f = model_of(t).*M;
  f = static_cast<typename value_of<std::decay_t<decltype(f)>>::type>(signed_arg(n, 0, Lo, Hi));
  no_more_args(c, n, 1);
}

// Seconds 0..Hi (decimals allowed).
template <class Target, auto M, long long Hi>
void secs_field(context& c, Target& t, const node& n) {
  model_of(t).*M = seconds_arg(n, 0, 0, static_cast<double>(Hi));
  no_more_args(c, n, 1);
}

template <class Target, auto M>
void flag_field(context& c, Target& t, const node& n) {
  model_of(t).*M = flag_arg(c, n);
}

template <class Target, auto M>
void text_field(context& c, Target& t, const node& n) {
  model_of(t).*M = single_arg(c, n);
}

// A command: the first word, optionally followed by user [group] (kept in the words).
template <class Target, auto M>
void command_field(context& c, Target& t, const node& n) {
  model_of(t).*M = arg(n, 0).text;
  no_more_args(c, n, 3);
}

// Every argument word, at least one.
template <class Target, auto M>
void words_field(context&, Target& t, const node& n) {
  arg(n, 0);
  auto& f = model_of(t).*M;
  f.clear();
  for (const word& w : n.args) f.push_back(w.text);
}

template <class Target, auto M>
void address_field(context& c, Target& t, const node& n) {
  model_of(t).*M = address_arg(n, arg(n, 0));
  no_more_args(c, n, 1);
}

template <class Target, auto M>
void interface_field(context& c, Target& t, const node& n) {
  model_of(t).*M = interface_arg(n, arg(n, 0));
  note_interface(c, n.args[0].text, n.args[0].where);
  no_more_args(c, n, 1);
}

} // namespace ka::config::detail
