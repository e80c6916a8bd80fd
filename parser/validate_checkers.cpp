// The checkers of a real_server: a common part (connection, timers) and each kind's
// own keywords; a keyword of another kind is unknown here, as in keepalived 2.2.7.
#include <cctype>
#include <climits>
#include <stdexcept>
#include <utility>

#include "parser/validate_lvs.hpp"

namespace ka::config::detail {
namespace {

// ---- checkers
using ce = check_endpoint;

template <class T>
void c_bind_if(context& c, T& k, const node& n) {
  std::string& bind_if = k.source.write().bind_if;
  bind_if = interface_arg(n, arg(n, 0));
  note_interface(c, bind_if, n.args[0].where);
  no_more_args(c, n, 1);
}

template <class T>
void c_bindto(context& c, T& k, const node& n) {
  k.source.write().bindto = address_arg(n, arg(n, 0));
  no_more_args(c, n, 1);
}

template <class T>
void c_bind_port(context& c, T& k, const node& n) {
  k.source.write().bind_port = static_cast<std::uint16_t>(integer_arg(n, 0, 0, 65535));
  no_more_args(c, n, 1);
}

// The keywords every checker kind has (and SMTP_CHECK's host blocks): one list for the
// two tables, whose rows differ only in their target type.
#define KA_CHECK_ENDPOINT_ROWS(T)                                                        \
  {"connect_ip", address_field<T, &ce::connect_ip>},                                     \
  {"connect_port", uint_field<T, &ce::connect_port, 0, 65535>},                          \
  {"bindto", c_bindto<T>},                                                               \
  {"bind_if", c_bind_if<T>},                                                             \
  {"bind_port", c_bind_port<T>},                                                         \
  {"fwmark", uint_field<T, &ce::fwmark, 0, UINT_MAX>},                                   \
  {"connect_timeout", timer_secs<T, ti::connect_timeout>},                               \
  {"delay_before_retry", timer_secs<T, ti::delay_before_retry>},                         \
  {"warmup", timer_secs<T, ti::warmup>},                                                 \
  {"delay_loop", timer_secs<T, ti::delay_loop>},                                         \
  {"retry", timer_retry<T>},                                                             \
  {"alpha", timer_flag<T, ti::alpha>},                                                   \
  {"log_all_failures", timer_flag<T, ti::log_all_failures>}

// The kind's data of a checker whose table rows fit_kind let through.
template <class D>
D& data(checker& k) {
  return *k.as<D>();
}
http_check& http_of(checker& k) {
  return k.kind() == checker_kind::ssl ? static_cast<http_check&>(data<ssl_check>(k)) : data<http_check>(k);
}

void c_url(context& c, checker& k, const node& n);
void c_host(context& c, checker& k, const node& n);

void c_http_protocol(context& c, checker& k, const node& n) {
  const word& w = arg(n, 0);
  http_version& v = http_of(k).http_protocol;
  if (w.text == "1.0") v = http_version::v1_0;
  else if (w.text == "1.0C" || w.text == "1.0c") v = http_version::v1_0c;
  else if (w.text == "1.1") v = http_version::v1_1;
  else fail(w.where, q(w.text), "1.0, 1.0C or 1.1 for http_protocol");
  no_more_args(c, n, 1);
}

void c_fast_recovery(context& c, checker& k, const node& n) { http_of(k).fast_recovery = flag_arg(c, n); }
void c_enable_sni(context& c, checker& k, const node& n) { data<ssl_check>(k).enable_sni = flag_arg(c, n); }
void c_helo_name(context& c, checker& k, const node& n) { data<smtp_check>(k).helo_name = single_arg(c, n); }

void c_dns_type(context& c, checker& k, const node& n) {
  static constexpr std::pair<std::string_view, dns_type> types[] = {
      {"A", dns_type::a}, {"NS", dns_type::ns}, {"CNAME", dns_type::cname}, {"SOA", dns_type::soa},
      {"MX", dns_type::mx}, {"TXT", dns_type::txt}, {"AAAA", dns_type::aaaa}};
  const word& w = arg(n, 0);
  std::string upper = w.text;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));  // as keepalived
  auto it = std::find_if(std::begin(types), std::end(types), [&](const auto& t) { return t.first == upper; });
  if (it == std::end(types)) fail(w.where, q(w.text), "a DNS query type (A, NS, CNAME, SOA, MX, TXT or AAAA) for type");
  data<dns_check>(k).type = it->second;
  no_more_args(c, n, 1);
}

void c_name(context& c, checker& k, const node& n) {
  if (k.kind() == checker_kind::dns) data<dns_check>(k).name = single_arg(c, n);
  else data<bfd_check>(k).name = single_arg(c, n);
}

void c_misc_path(context& c, checker& k, const node& n) { data<misc_check>(k).misc_path = single_arg(c, n); }

void c_misc_timeout(context& c, checker& k, const node& n) {
  data<misc_check>(k).misc_timeout = seconds_arg(n, 0, 0, k_secs_max);
  no_more_args(c, n, 1);
}

void c_misc_dynamic(context& c, checker& k, const node& n) { data<misc_check>(k).misc_dynamic = flag_arg(c, n); }

void c_user(context& c, checker& k, const node& n) {
  misc_check& m = data<misc_check>(k);
  m.user = arg(n, 0).text;
  m.group = n.args.size() > 1 ? n.args[1].text : std::string();
  no_more_args(c, n, 2);
}

void c_track_file(context& c, checker& k, const node& n) { data<file_check>(k).track_file = single_arg(c, n); }
void c_dynamic(context& c, checker& k, const node& n) { data<file_check>(k).dynamic = flag_arg(c, n); }

void c_weight(context& c, checker& k, const node& n) {
  file_check& f = data<file_check>(k);
  weight_args(c, n, 0, -2147483647, 2147483647, f.weight, f.reverse);
}

// UDP_CHECK's HEX_STR, each word read on its own: pairs of hex digits from the left, a
// last odd digit is a byte of its own ("Ab12f 3" is AB 12 0F 03). With wildcards, x or X
// is a nibble that matches anything (its mask nibble is 0).
void hex_words(const node& n, std::size_t from, bool wildcards, std::vector<std::uint8_t>& bytes,
               std::vector<std::uint8_t>* mask) {
  for (std::size_t i = from; i < n.args.size(); ++i) {
    const word& w = n.args[i];
    auto nibble = [&](char ch, std::uint8_t& value, std::uint8_t& care) {
      if (std::isxdigit(static_cast<unsigned char>(ch))) {
        value = static_cast<std::uint8_t>(std::stoi(std::string(1, ch), nullptr, 16));
        care = 0xf;
      } else if (wildcards && (ch == 'x' || ch == 'X')) {
        value = care = 0;
      } else {
        fail(w.where, q(w.text), std::string("hex digits") + (wildcards ? " (x: any)" : "") + " for " + n.keyword.text);
      }
    };
    for (std::size_t at = 0; at < w.text.size(); at += 2) {
      std::uint8_t hi = 0, hi_care = 0, lo = 0, lo_care = 0;
      if (at + 1 < w.text.size()) {
        nibble(w.text[at], hi, hi_care);
        nibble(w.text[at + 1], lo, lo_care);
      } else {
        nibble(w.text[at], lo, lo_care);
        hi_care = 0xf;
      }
      bytes.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
      if (mask) mask->push_back(static_cast<std::uint8_t>(hi_care << 4 | lo_care));
    }
  }
}

void c_payload(context&, checker& k, const node& n) {
  udp_check& u = data<udp_check>(k);
  arg(n, 0);
  u.payload.clear();
  hex_words(n, 0, false, u.payload, nullptr);
}

void c_require_reply(context&, checker& k, const node& n) {
  udp_check& u = data<udp_check>(k);
  u.require_reply = true;
  u.reply.clear();
  u.reply_mask.clear();
  hex_words(n, 0, true, u.reply, &u.reply_mask);
}

template <auto M>
void c_reply_length(context& c, checker& k, const node& n) {
  data<udp_check>(k).*M = static_cast<std::uint16_t>(integer_arg(n, 0, 0, 65535));
  no_more_args(c, n, 1);
}

constexpr handler<checker> k_checker[] = {
    KA_CHECK_ENDPOINT_ROWS(checker),
    // HTTP_GET, SSL_GET
    {"url", c_url, block_use::required},
    {"http_protocol", c_http_protocol},
    {"enable_sni", c_enable_sni},
    {"fast_recovery", c_fast_recovery},
    // SMTP_CHECK
    {"helo_name", c_helo_name},
    {"host", c_host, block_use::required},
    // DNS_CHECK
    {"type", c_dns_type},
    // DNS_CHECK's queried name, BFD_CHECK's bfd_instance
    {"name", c_name},
    // MISC_CHECK
    {"misc_path", c_misc_path},
    {"misc_timeout", c_misc_timeout},
    {"misc_dynamic", c_misc_dynamic},
    {"user", c_user},
    // FILE_CHECK
    {"track_file", c_track_file},
    {"dynamic", c_dynamic},
    {"weight", c_weight},
    // UDP_CHECK
    {"payload", c_payload},
    {"require_reply", c_require_reply},
    {"min_reply_length", c_reply_length<&udp_check::min_reply_length>},
    {"max_reply_length", c_reply_length<&udp_check::max_reply_length>},
};

constexpr handler<check_endpoint> k_host[] = {KA_CHECK_ENDPOINT_ROWS(check_endpoint)};
#undef KA_CHECK_ENDPOINT_ROWS

// keepalived's old names of checker keywords.
const std::vector<alias> k_checker_aliases = {{"nb_get_retry", "retry"}};

using hu = http_url;
void u_status(context&, http_url& u, const node& n) {
  arg(n, 0);
  for (const word& w : n.args) {
    auto dash = w.text.find('-');
    auto lo = parse_uint(w.text.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_uint(w.text.substr(dash + 1));
    if (!lo || !hi || *lo < 100 || *hi > 599 || *lo > *hi) fail(w.where, q(w.text), "an HTTP status code 100..599 or a range of them for status_code");
    u.status_code.push_back({static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)});
  }
}

void u_regex_no_match(context& c, http_url& u, const node& n) {
  no_args(c, n);
  u.regex_no_match = true;
}

// Options add up over repeated lines (keepalived 2.2.7 crashes on a second line).
void u_regex_options(context&, http_url& u, const node& n) {
  arg(n, 0);
  for (const word& w : n.args) {
    int found = -1;
    for (int o = 0; o < static_cast<int>(regex_option::count_); ++o)
      if (w.text == regex_option_name(static_cast<regex_option>(o))) found = o;
    if (found < 0)
      fail(w.where, q(w.text), "a regex option (allow_empty_class, alt_bsux, auto_callout, caseless, dollar_endonly, dotall, "
                               "dupnames, extended, firstline, match_unset_backref, multiline, never_ucp, never_utf, "
                               "no_auto_capture, no_auto_possess, no_dotstar_anchor, no_start_optimize, ucp, ungreedy, "
                               "utf, never_backslash_c, alt_circumflex, alt_verbnames, use_offset_limit)");
    u.regex_options |= 1u << found;
  }
}

void u_regex_stack(context& c, http_url& u, const node& n) {
  u.regex_stack_start = static_cast<std::uint32_t>(integer_arg(n, 0, 0, UINT_MAX));
  u.regex_stack_max = static_cast<std::uint32_t>(integer_arg(n, 1, 0, UINT_MAX));
  if (*u.regex_stack_max < *u.regex_stack_start)
    fail(n.args[1].where, q(n.args[1].text), "a maximum no smaller than the start " + n.args[0].text + " for regex_stack");
  no_more_args(c, n, 2);
}

constexpr handler<http_url> k_url[] = {
    {"path", text_field<hu, &hu::path>},
    {"digest", text_field<hu, &hu::digest>},
    {"status_code", u_status},
    {"virtualhost", text_field<hu, &hu::virtualhost>},
    {"regex", text_field<hu, &hu::regex>},
    {"regex_no_match", u_regex_no_match},
    {"regex_options", u_regex_options},
    {"regex_stack", u_regex_stack},
    {"regex_min_offset", uint_field<hu, &hu::regex_min_offset, 0, UINT_MAX>},
    {"regex_max_offset", uint_field<hu, &hu::regex_max_offset, 0, UINT_MAX>},
};

void c_url(context& c, checker& k, const node& n) {
  no_args(c, n);
  http_url& u = http_of(k).urls.emplace_back();
  u.where = n.keyword.where;
  dispatch(c, "url", u, n.children, k_url);
  if (u.path.empty()) fail(n.keyword.where, "url without path", "a path (required)");
  if (u.regex_min_offset && u.regex_max_offset && *u.regex_max_offset < *u.regex_min_offset)
    c.diag(dkind::warning, u.where, "url: regex_max_offset is below regex_min_offset; the regex never matches");
}

// SMTP_CHECK { host { connect_ip ... } }: keepalived 2.2.7 still reads it (its samples
// use it); each host is an address of its own with the common options.
void c_host(context& c, checker& k, const node& n) {
  no_args(c, n);
  check_endpoint& h = data<smtp_check>(k).hosts.emplace_back();
  h.where = n.keyword.where;
  dispatch(c, "host", h, n.children, k_host, k_checker_aliases);
}


// The keywords of k_checker that belong to some checker kinds only; in another kind
// keepalived does not know them (an unknown keyword). Of the common options, MISC_CHECK
// has alpha onwards, BFD_CHECK only alpha and FILE_CHECK none (keepalived 2.2.7).
struct only_in {
  std::string_view keyword, kinds;
};
constexpr only_in k_checker_specific[] = {
    {"url", "HTTP_GET SSL_GET"}, {"http_protocol", "HTTP_GET SSL_GET"}, {"fast_recovery", "HTTP_GET SSL_GET"},
    {"enable_sni", "SSL_GET"}, {"helo_name", "SMTP_CHECK"}, {"host", "SMTP_CHECK"}, {"type", "DNS_CHECK"}, {"name", "DNS_CHECK BFD_CHECK"},
    {"misc_path", "MISC_CHECK"}, {"misc_timeout", "MISC_CHECK"}, {"misc_dynamic", "MISC_CHECK"},
    {"user", "MISC_CHECK"}, {"track_file", "FILE_CHECK"}, {"dynamic", "FILE_CHECK"}, {"weight", "FILE_CHECK"},
    {"payload", "UDP_CHECK"}, {"require_reply", "UDP_CHECK"}, {"min_reply_length", "UDP_CHECK"},
    {"max_reply_length", "UDP_CHECK"},
#define KA_CONNECTING "TCP_CHECK HTTP_GET SSL_GET SMTP_CHECK DNS_CHECK UDP_CHECK PING_CHECK"
    {"connect_ip", KA_CONNECTING}, {"connect_port", KA_CONNECTING}, {"bindto", KA_CONNECTING},
    {"bind_if", KA_CONNECTING}, {"bind_port", KA_CONNECTING}, {"fwmark", KA_CONNECTING},
    {"connect_timeout", KA_CONNECTING}, {"retry", KA_CONNECTING " MISC_CHECK"},
    {"delay_before_retry", KA_CONNECTING " MISC_CHECK"}, {"warmup", KA_CONNECTING " MISC_CHECK"},
    {"delay_loop", KA_CONNECTING " MISC_CHECK"}, {"log_all_failures", KA_CONNECTING " MISC_CHECK"},
    {"alpha", KA_CONNECTING " MISC_CHECK BFD_CHECK"},
#undef KA_CONNECTING
};

bool fits_kind(std::string_view keyword, std::string_view kind) {
  for (const auto& s : k_checker_specific)
    if (s.keyword == keyword) {
      for (std::size_t at = s.kinds.find(kind); at != std::string_view::npos; at = s.kinds.find(kind, at + 1))
        if ((at == 0 || s.kinds[at - 1] == ' ') && (at + kind.size() == s.kinds.size() || s.kinds[at + kind.size()] == ' '))
          return true;
      return false;
    }
  return true;
}

// The variant alternative `k` (checker_kind's order is the variant's).
template <std::size_t... I>
checker_data alternative(std::size_t k, std::index_sequence<I...>) {
  checker_data out;
  ((k == I ? (out.emplace<I>(), 0) : 0), ...);
  return out;
}

checker_data data_for(std::string_view keyword) {
  for (std::size_t k = 0; k < std::variant_size_v<checker_data>; ++k)
    if (keyword == checker_kind_name(static_cast<checker_kind>(k)))
      return alternative(k, std::make_index_sequence<std::variant_size_v<checker_data>>{});
  throw std::logic_error("data_for: not a checker keyword");
}

} // namespace

void checker_block(context& c, real_server& r, const node& n) {
  no_args(c, n);
  checker& k = r.checkers.emplace_back();
  k.data = data_for(n.keyword.text);
  k.where = n.keyword.where;
  std::string_view kind = n.keyword.text;
  std::vector<node> fitting;
  std::vector<std::string_view> names;
  for (const auto& h : k_checker)
    if (fits_kind(h.keyword, kind)) names.push_back(h.keyword);
  for (const auto& a : k_checker_aliases)
    if (fits_kind(a.new_name, kind)) names.push_back(a.old_name);
  // Unknown keywords are reported here, so that the closest one is of this kind.
  for (const node& e : n.children) {
    bool known = std::find(names.begin(), names.end(), e.keyword.text) != names.end();
    if (known) fitting.push_back(e);
    else report_unknown(c, e, names);
  }
  dispatch(c, n.keyword.text, k, fitting, k_checker, k_checker_aliases);
  if (const file_check* f = k.as<file_check>(); f && f->track_file.empty())
    c.diag(dkind::warning, k.where, "FILE_CHECK without track_file; ignored");
  if (const http_check* h = k.as<http_check>(); h && h->urls.empty())
    c.diag(dkind::warning, k.where, "HTTP_GET without url; ignored");
  if (const ssl_check* s = k.as<ssl_check>(); s && s->urls.empty())
    c.diag(dkind::warning, k.where, "SSL_GET without url; ignored");
  if (const udp_check* u = k.as<udp_check>())
    if (u->min_reply_length.value_or(0) > u->max_reply_length.value_or(255))
      c.diag(dkind::warning, k.where, "UDP_CHECK: min_reply_length " + std::to_string(u->min_reply_length.value_or(0)) +
                                          " > max_reply_length " + std::to_string(u->max_reply_length.value_or(255)) +
                                          "; the check always fails");
}


// For the dump: which keywords a checker kind has.
bool kind_has(checker_kind k, std::string_view keyword) { return fits_kind(keyword, checker_kind_name(k)); }

} // namespace ka::config::detail

namespace ka::config {

bool checker_has(checker_kind k, std::string_view keyword) { return detail::kind_has(k, keyword); }

const char* checker_kind_name(checker_kind k) {
  static constexpr const char* names[] = {"TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK",
                                          "MISC_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK"};
  static_assert(std::size(names) == std::variant_size_v<checker_data>);
  return names[static_cast<int>(k)];
}


const char* regex_option_name(regex_option o) {
  static constexpr const char* names[] = {
      "allow_empty_class", "alt_bsux", "auto_callout", "caseless", "dollar_endonly", "dotall", "dupnames", "extended",
      "firstline", "match_unset_backref", "multiline", "never_ucp", "never_utf", "no_auto_capture", "no_auto_possess",
      "no_dotstar_anchor", "no_start_optimize", "ucp", "ungreedy", "utf", "never_backslash_c", "alt_circumflex",
      "alt_verbnames", "use_offset_limit"};
  static_assert(std::size(names) == static_cast<std::size_t>(regex_option::count_));
  return names[static_cast<int>(o)];
}


} // namespace ka::config
