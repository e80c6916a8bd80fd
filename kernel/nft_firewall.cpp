#include "kernel/nft_firewall.hpp"

#include <dlfcn.h>
#include <nftables/libnftables.h>

#include <stdexcept>

namespace ka::kern {

using fam_t = proto::ip_address::family;

namespace {

// libnftables is opened when a firewall is first wanted (an instance with accept mode
// off), not linked: it and what it pulls in (libnftnl, libxtables, libjansson, libgmp)
// were 0.6 MB of every daemon's RSS, needed or not (bench/scale.sh, /proc/PID/smaps).
struct nft_library {
  decltype(&::nft_ctx_new) ctx_new = nullptr;
  decltype(&::nft_ctx_free) ctx_free = nullptr;
  decltype(&::nft_ctx_buffer_output) buffer_output = nullptr;
  decltype(&::nft_ctx_buffer_error) buffer_error = nullptr;
  decltype(&::nft_ctx_get_error_buffer) get_error_buffer = nullptr;
  decltype(&::nft_run_cmd_from_buffer) run_cmd_from_buffer = nullptr;
  std::string error;  // why it could not be opened; empty: ready

  nft_library() {
    // Never closed: the functions stay in use until the process ends.
    void* h = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = dlerror();
      error = e ? e : "libnftables.so.1: cannot be opened";
      return;
    }
    bool ok = load(h, "nft_ctx_new", ctx_new) && load(h, "nft_ctx_free", ctx_free)
              && load(h, "nft_ctx_buffer_output", buffer_output)
              && load(h, "nft_ctx_buffer_error", buffer_error)
              && load(h, "nft_ctx_get_error_buffer", get_error_buffer)
              && load(h, "nft_run_cmd_from_buffer", run_cmd_from_buffer);
    if (!ok)
      error = std::string("libnftables.so.1: missing symbols");
  }
  template <class F>
  static bool load(void* h, const char* name, F& f) {
    f = reinterpret_cast<F>(dlsym(h, name));
    return f != nullptr;
  }
};

// Opened once, by the first firewall (thread-safe: a function-local static).
const nft_library& nft() {
  static const nft_library lib;
  if (!lib.error.empty())
    throw std::runtime_error(lib.error);
  return lib;
}

} // namespace

nft_firewall::nft_firewall(proto::nft_options o) : ctx_(nft().ctx_new(NFT_CTX_DEFAULT)), opts_(std::move(o)) {
  if (!ctx_)
    throw std::runtime_error("libnftables: no context");
  // Errors come back as text (nft's own messages) instead of going to stderr.
  nft().buffer_output(ctx_);
  nft().buffer_error(ctx_);
}

nft_firewall::~nft_firewall() { nft().ctx_free(ctx_); }

std::string nft_firewall::run(const std::string& commands) {
  if (commands.empty())
    return {};
  if (nft().run_cmd_from_buffer(ctx_, commands.c_str()) == 0)
    return {};
  std::string err = nft().get_error_buffer(ctx_);
  while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
    err.pop_back();
  return err.empty() ? std::string("nft: failed") : err;
}

std::string nft_firewall::drop_leftover(fam_t fam) {
  if (table(fam).created)
    return {};
  return run(proto::nft_drop_table(fam, opts_));
}

std::string nft_firewall::change(bool add, fam_t fam, const std::vector<proto::nft_element>& elements) {
  table_state& t = table(fam);
  std::vector<proto::nft_element> send;
  bool any = false;
  for (const auto& e : elements)
    any = any || e.addr.fam == fam;
  if (!any)
    return {};
  for (const auto& e : elements) {
    if (e.addr.fam != fam)
      continue;
    auto it = t.refs.find(e);
    if (add ? it == t.refs.end() : it != t.refs.end() && it->second == 1)
      send.push_back(e);
  }
  if (!add && !t.created)
    return {};  // nothing of ours is there: a BACKUP entry at start-up removes "just in case"
  std::string cmds;
  bool need_ll = false;
  for (const auto& e : send)
    need_ll = need_ll || proto::is_link_local(e.addr);
  if (add && !t.created)
    cmds += proto::nft_create_table(fam, opts_);
  if (add && need_ll && !t.link_local)
    cmds += proto::nft_create_link_local(opts_);
  cmds += proto::nft_elements(add, fam, opts_, send);
  if (std::string err = run(cmds); !err.empty())
    return err;
  if (add && !cmds.empty()) {
    t.created = true;
    t.link_local = t.link_local || need_ll;
  }
  for (const auto& e : elements) {
    if (e.addr.fam != fam)
      continue;
    if (add) {
      ++t.refs[e];
    } else if (auto it = t.refs.find(e); it != t.refs.end() && --it->second == 0) {
      t.refs.erase(it);
    }
  }
  return {};
}

std::string nft_firewall::add(const std::vector<proto::nft_element>& elements) {
  std::string e4 = change(true, fam_t::v4, elements);
  std::string e6 = change(true, fam_t::v6, elements);
  return e4.empty() ? e6 : e6.empty() ? e4 : e4 + "; " + e6;
}

std::string nft_firewall::del(const std::vector<proto::nft_element>& elements) {
  std::string e4 = change(false, fam_t::v4, elements);
  std::string e6 = change(false, fam_t::v6, elements);
  return e4.empty() ? e6 : e6.empty() ? e4 : e4 + "; " + e6;
}

std::string nft_firewall::remove_tables() {
  std::string cmds;
  for (fam_t fam : {fam_t::v4, fam_t::v6})
    if (table(fam).created)
      cmds += "delete table " + std::string(proto::nft_family(fam)) + " " + opts_.table + "\n";
  std::string err = run(cmds);
  if (err.empty())
    v4_ = v6_ = table_state{};
  return err;
}

std::vector<std::string> nft_firewall::tables() const {
  std::vector<std::string> out;
  if (v4_.created) out.push_back(std::string("ip ") + opts_.table);
  if (v6_.created) out.push_back(std::string("ip6 ") + opts_.table);
  return out;
}

std::size_t nft_firewall::elements() const { return v4_.refs.size() + v6_.refs.size(); }

} // namespace ka::kern
