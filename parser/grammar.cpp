// Spirit X3 grammar for keepalived.conf. The grammar only recognises the shape of
// the text (statements, words, blocks); semantic actions build the syntax tree
// through a `builder` passed in the parser context. Errors are X3 expectation
// failures, translated here into config_error with file:line:column.
#include "parser/grammar.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <boost/spirit/home/x3.hpp>

#include "parser/load.hpp"

namespace ka::config::syntax {
namespace {

namespace x3 = boost::spirit::x3;
using iterator = const char*;

// ---------------------------------------------------------------- positions
// Positions are asked for in the order of the text (every word of the second pass), so
// the line is found by counting the newlines since the last position asked for; only an
// error may go back (to the quote or block that is still open), and counts from the start.
class line_index {
public:
  line_index(std::string_view text, const std::string& file, const pre::output* origins)
      : base_(text.data()), file_(file), origins_(origins && !origins->unchanged ? origins : nullptr) {}
  source_pos at(iterator it) const {
    auto offset = static_cast<std::size_t>(it - base_);
    if (offset < line_start_) line_ = 1, line_start_ = 0, scanned_ = 0;
    // A byte at a time: words are a few bytes apart, too close for memchr() to pay.
    for (; scanned_ < offset; ++scanned_)
      if (base_[scanned_] == '\n') ++line_, line_start_ = scanned_ + 1;
    auto column = static_cast<int>(offset - line_start_) + 1;
    if (origins_) return origins_->map(line_, column);
    return source_pos{file_, line_, column};
  }
private:
  const char* base_;
  file_name file_;
  const pre::output* origins_;
  mutable int line_ = 1;
  mutable std::size_t line_start_ = 0, scanned_ = 0;  // no newline in [line_start_, scanned_)
};

// ---------------------------------------------------------------- tree builder
// The first pass (counting) only counts: the statements of every block and the arguments
// of every statement, in the order the parse meets them (parser in grammar.hpp). The
// second builds, reserving each list at its final size, and hands each top-level
// statement to the sink when the next one starts (or the text ends).
// Both passes check the limits, so that the second never throws.
// The builder only ever appends to the innermost open block, so pointers to the open
// nodes (which live in their parents' vectors) stay valid.
class builder {
public:
  using sink_fn = std::function<void(node&&)>;
  // No sink: the first pass, which fills `blocks` and `args`; else the second, reading them.
  builder(const line_index& lines, const parse_limits& limits, std::vector<std::uint32_t>& blocks,
          std::vector<std::uint32_t>& args, const sink_fn* sink)
      : lines_(lines), limits_(limits), blocks_(blocks), args_(args), sink_(sink) {
    open_.push_back(&root_);
    if (counting()) blocks_.push_back(0);
    else root_.reserve(1), next_block_ = 1;  // the top level holds one statement at a time
  }
  const line_index& lines() const { return lines_; }
  std::size_t words() const { return words_; }

  void keyword(iterator b, iterator e, bool quoted) {
    count_word(b);
    last_keyword_ = {b, e, quoted};
    if (counting()) {
      ++blocks_[block_index_.empty() ? 0 : block_index_.back()];
      args_.push_back(0);
      return;
    }
    if (open_.size() == 1) flush();
    node& n = open_.back()->emplace_back();
    fill_word(n.keyword, b, e, quoted);
    n.args.reserve(args_[next_statement_++]);
  }
  void argument(iterator b, iterator e, bool quoted) {
    count_word(b);
    if (counting()) ++args_.back();
    else fill_word(open_.back()->back().args.emplace_back(), b, e, quoted);
  }
  void open_block(iterator brace) {
    // Thrown from inside the parse, before it recurses into the block.
    int depth = limits_.outer_depth + static_cast<int>(open_keywords_.size()) + 1;
    if (depth > limits_.max_depth)
      throw config_error(lines_.at(brace), "'{' opening a block nested " + std::to_string(depth) + " deep",
                         "at most " + std::to_string(limits_.max_depth) + " nested blocks");
    open_keywords_.push_back(last_keyword_);
    if (counting()) {
      block_index_.push_back(blocks_.size());
      blocks_.push_back(0);
      return;
    }
    node& owner = open_.back()->back();
    owner.has_block = true;
    owner.block_open = lines_.at(brace);
    owner.children.reserve(blocks_[next_block_++]);
    open_.push_back(&owner.children);
  }
  void close_block() {
    open_keywords_.pop_back();
    if (counting()) block_index_.pop_back();
    else open_.pop_back();
  }
  void quote_opened(iterator at) { last_quote_ = at; }

  // The last top-level statement, complete, to the sink.
  void flush() {
    if (root_.empty()) return;
    (*sink_)(std::move(root_.back()));
    root_.clear();
  }

  iterator last_quote() const { return last_quote_; }
  // The keyword whose block is still open, if any.
  std::optional<word> innermost_open() const {
    if (open_keywords_.empty()) return std::nullopt;
    const auto& k = open_keywords_.back();
    word w;
    fill_word(w, k.begin, k.end, k.quoted);
    return w;
  }

private:
  struct range {
    iterator begin = nullptr, end = nullptr;
    bool quoted = false;
  };

  bool counting() const { return sink_ == nullptr; }

  void count_word(iterator at) {
    if (limits_.words_before + ++words_ > limits_.max_words)
      throw config_error(lines_.at(at), "word " + std::to_string(limits_.max_words + 1),
                         "at most " + std::to_string(limits_.max_words) +
                             " words (keywords and arguments) in one configuration");
  }

  void fill_word(word& w, iterator b, iterator e, bool quoted) const {
    w.where = lines_.at(b);
    w.quoted = quoted;
    if (quoted) w.text.assign(b + 1, e - 1);
    else w.text.assign(b, e);
  }

  const line_index& lines_;
  const parse_limits& limits_;
  std::vector<std::uint32_t>& blocks_;
  std::vector<std::uint32_t>& args_;
  const sink_fn* sink_;
  tree root_;
  std::vector<std::vector<node>*> open_;
  std::vector<range> open_keywords_;
  range last_keyword_;
  std::vector<std::size_t> block_index_;  // first pass: the open blocks' entries in blocks_
  std::size_t next_block_ = 0, next_statement_ = 0, words_ = 0;
  iterator last_quote_ = nullptr;
};

struct builder_tag;

template <class Context>
builder& the_builder(Context const& ctx) { return *x3::get<builder_tag>(ctx); }

// ---------------------------------------------------------------- semantic actions
auto const on_keyword = [](auto& ctx) {
  auto const& r = x3::_attr(ctx);
  the_builder(ctx).keyword(r.begin(), r.end(), *r.begin() == '"');
};
auto const on_argument = [](auto& ctx) {
  auto const& r = x3::_attr(ctx);
  the_builder(ctx).argument(r.begin(), r.end(), *r.begin() == '"');
};
// x3::raw[] gives the matched range after skipping: its begin is the token itself.
auto const on_open = [](auto& ctx) { the_builder(ctx).open_block(x3::_attr(ctx).begin()); };
auto const on_close = [](auto& ctx) { the_builder(ctx).close_block(); };
auto const on_quote = [](auto& ctx) { the_builder(ctx).quote_opened(x3::_attr(ctx).begin()); };

// ---------------------------------------------------------------- grammar
// Names of the rules below are what the error message says was expected.
constexpr const char* k_close_quote = "'\"' before end of line";
constexpr const char* k_close_brace = "'}'";
constexpr const char* k_top_level = "a keyword or end of file";

auto const skipper = x3::char_(" \t\r\f\v") | ((x3::lit('#') | '!') >> *(x3::char_ - '\n'));

auto const newline = x3::lit('\n');
auto const plain_word = x3::lexeme[+~x3::char_(" \t\r\f\v\n{}\"#!")];

x3::rule<struct close_quote_id> const close_quote = k_close_quote;
auto const close_quote_def = x3::lit('"');

auto const quoted_word = x3::lexeme[(x3::raw[x3::lit('"')][on_quote] >> *~x3::char_("\"\n")) > close_quote];
auto const word = x3::raw[plain_word | quoted_word];

x3::rule<struct statement_id> const statement = "a keyword";
x3::rule<struct body_id> const body = "statements";
x3::rule<struct close_brace_id> const close_brace = k_close_brace;
x3::rule<struct file_end_id> const file_end = k_top_level;

auto const block = (*newline >> x3::raw[x3::lit('{')][on_open]) > body > close_brace;

// `include PATTERN`: keepalived reads the pattern before it splits the line into words, so
// braces in it are glob(3)'s brace expansion (`include {a,b}.conf`), not a block. A `}`
// standing alone still closes the block around it (`virtual_ipaddress { include v.conf }`).
auto const word_end = x3::char_(" \t\r\f\v\n#!") | x3::eoi;
auto const include_keyword = x3::raw[x3::lexeme[x3::lit("include") >> -x3::char_("rmwba") >> &word_end]];
auto const pattern_word =
    x3::raw[x3::lexeme[!(x3::lit('}') >> &word_end) >> +~x3::char_(" \t\r\f\v\n\"#!")] | quoted_word];
auto const include_statement = include_keyword[on_keyword] >> *pattern_word[on_argument];

auto const statement_def = include_statement | (word[on_keyword] >> *word[on_argument] >> -block);
auto const body_def = *(statement | newline);
auto const close_brace_def = x3::lit('}')[on_close];
auto const file_end_def = x3::eoi;

BOOST_SPIRIT_DEFINE(close_quote, statement, body, close_brace, file_end)

auto const file_rule = body > file_end;

// ---------------------------------------------------------------- errors
std::string describe(iterator at, iterator end) {
  if (at == end) return "end of file";
  switch (*at) {
    case '\n': return "end of line";
    case '{': return "'{'";
    case '}': return "'}'";
    default: break;
  }
  iterator stop = at;
  if (*at == '"') {
    stop = std::find_if(at + 1, end, [](char c) { return c == '"' || c == '\n'; });
    if (stop != end && *stop == '"') ++stop;
  } else {
    stop = std::find_if(at, end, [](char c) {
      return std::string_view(" \t\r\f\v\n{}\"#!").find(c) != std::string_view::npos;
    });
  }
  return "'" + std::string(at, stop) + "'";
}

config_error translate(const x3::expectation_failure<iterator>& e, const builder& b, iterator end) {
  const std::string& which = e.which();
  if (which == k_close_quote) {
    iterator quote = b.last_quote();
    return config_error(b.lines().at(quote), describe(quote, end), which);
  }
  if (which == k_close_brace && e.where() == end) {
    if (auto open = b.innermost_open())
      return config_error(open->where, "end of file",
                          "'}' before end of file to close the block of '" + open->text + "'");
  }
  if (which == k_top_level && e.where() != end && *e.where() == '}')
    return config_error(b.lines().at(e.where()), "'}'", "a keyword or end of file (no block is open)");
  return config_error(b.lines().at(e.where()), describe(e.where(), end), which);
}

} // namespace

parser::parser(std::string_view text, const std::string& file_name, const parse_limits& limits,
               const pre::output* origins)
    : text_(text), file_(file_name), limits_(limits), origins_(origins) {}

namespace {

// One pass over the text; `sink` null: the first (checking, counting) pass.
std::size_t run(std::string_view text, const std::string& file, const parse_limits& limits,
                const pre::output* origins, std::vector<std::uint32_t>& blocks, std::vector<std::uint32_t>& args,
                const builder::sink_fn* sink) {
  line_index lines(text, file, origins);
  builder b(lines, limits, blocks, args, sink);
  iterator first = text.data();
  iterator const last = text.data() + text.size();
  try {
    x3::phrase_parse(first, last, x3::with<builder_tag>(&b)[file_rule], skipper);
  } catch (const x3::expectation_failure<iterator>& e) {
    throw translate(e, b, last);
  }
  if (sink) b.flush();
  return b.words();
}

} // namespace

std::size_t parser::check() {
  block_sizes_.clear();
  arg_sizes_.clear();
  return run(text_, file_, limits_, origins_, block_sizes_, arg_sizes_, nullptr);
}

void parser::stream(const std::function<void(node&&)>& sink) {
  run(text_, file_, limits_, origins_, block_sizes_, arg_sizes_, &sink);
}

tree parse(std::string_view text, const std::string& file_name, const parse_limits& limits,
           const pre::output* origins) {
  parser p(text, file_name, limits, origins);
  p.check();
  tree t;
  t.reserve(p.statements());
  p.stream([&](node&& n) { t.push_back(std::move(n)); });
  return t;
}

} // namespace ka::config::syntax
