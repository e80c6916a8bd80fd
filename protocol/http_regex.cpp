#include "protocol/http_regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <map>

namespace ka::proto {

namespace {

// The regex_options of keepalived.conf(5), as PCRE2 compile options.
const std::map<std::string, std::uint32_t>& option_bits() {
  static const std::map<std::string, std::uint32_t> m = {
      {"allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS}, {"alt_bsux", PCRE2_ALT_BSUX},
      {"auto_callout", PCRE2_AUTO_CALLOUT},           {"caseless", PCRE2_CASELESS},
      {"dollar_endonly", PCRE2_DOLLAR_ENDONLY},       {"dotall", PCRE2_DOTALL},
      {"dupnames", PCRE2_DUPNAMES},                   {"extended", PCRE2_EXTENDED},
      {"firstline", PCRE2_FIRSTLINE},                 {"match_unset_backref", PCRE2_MATCH_UNSET_BACKREF},
      {"multiline", PCRE2_MULTILINE},                 {"never_ucp", PCRE2_NEVER_UCP},
      {"never_utf", PCRE2_NEVER_UTF},                 {"no_auto_capture", PCRE2_NO_AUTO_CAPTURE},
      {"no_auto_possess", PCRE2_NO_AUTO_POSSESS},     {"no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR},
      {"no_start_optimize", PCRE2_NO_START_OPTIMIZE}, {"ucp", PCRE2_UCP},
      {"ungreedy", PCRE2_UNGREEDY},                   {"utf", PCRE2_UTF},
      {"never_backslash_c", PCRE2_NEVER_BACKSLASH_C}, {"alt_circumflex", PCRE2_ALT_CIRCUMFLEX},
      {"alt_verbnames", PCRE2_ALT_VERBNAMES},         {"use_offset_limit", PCRE2_USE_OFFSET_LIMIT},
  };
  return m;
}

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(code, buf, sizeof buf);
  return reinterpret_cast<const char*>(buf);
}

} // namespace

std::shared_ptr<const http_regex> http_regex::compile(const http_regex_spec& s, std::string& error) {
  std::uint32_t opts = 0;
  for (const auto& o : s.options) {
    auto it = option_bits().find(o);
    if (it == option_bits().end()) {
      error = "regex option " + o + " unknown";
      return nullptr;
    }
    opts |= it->second;
  }
  // regex_max_offset needs PCRE2's offset limit, which must be asked for when compiling.
  if (s.max_offset) opts |= PCRE2_USE_OFFSET_LIMIT;
  int err = 0;
  PCRE2_SIZE at = 0;
  auto* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(s.pattern.data()), s.pattern.size(), opts, &err, &at, nullptr);
  if (!code) {
    error = "regex \"" + s.pattern + "\" at " + std::to_string(at) + ": " + pcre2_message(err);
    return nullptr;
  }
  std::shared_ptr<http_regex> r(new http_regex());
  r->code_ = code;
  r->spec_ = s;
  return r;
}

http_regex::~http_regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

std::string http_regex::judge(std::string_view body) const {
  auto* code = static_cast<pcre2_code*>(code_);
  auto* md = pcre2_match_data_create_from_pattern(code, nullptr);
  pcre2_match_context* mc = nullptr;
  if (spec_.max_offset) {
    mc = pcre2_match_context_create(nullptr);
    pcre2_set_offset_limit(mc, *spec_.max_offset);
  }
  PCRE2_SIZE start = spec_.min_offset ? std::min<PCRE2_SIZE>(*spec_.min_offset, body.size()) : 0;
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), start, 0, md, mc);
  pcre2_match_data_free(md);
  pcre2_match_context_free(mc);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) return "regex: " + pcre2_message(rc);
  bool matched = rc >= 0;
  if (matched && spec_.no_match) return "regex \"" + spec_.pattern + "\" matched (regex_no_match)";
  if (!matched && !spec_.no_match) return "regex \"" + spec_.pattern + "\" not matched";
  return {};
}

} // namespace ka::proto
