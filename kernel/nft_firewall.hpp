// The no_accept drop rules in nftables, through libnftables (Debian libnftables-dev): the
// commands are nft(8) text from protocol/nft_ruleset.hpp, sent as one atomic batch each.
// Owned by the kernel actor, the one writer of netlink; nothing here is thread-safe.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "protocol/nft_ruleset.hpp"

struct nft_ctx;

namespace ka::kern {

class nft_firewall {
public:
  // Throws std::runtime_error when libnftables cannot make a context.
  explicit nft_firewall(proto::nft_options o);
  ~nft_firewall();  // leaves the tables: remove_tables() is the clean exit's job
  nft_firewall(const nft_firewall&) = delete;
  nft_firewall& operator=(const nft_firewall&) = delete;

  // Removes a table of ours left by a killed daemon, so that no address stays dropped
  // from a run that is over. "" or the error.
  std::string drop_leftover(proto::ip_address::family fam);
  // Elements are counted: two instances may drop the same address, and it leaves the
  // set only when neither does any more. The table is created at the first element, as
  // keepalived does (and replaces a leftover in the same batch). "" or the error; on an
  // error nothing of the batch is in the kernel and the counts are as before.
  std::string add(const std::vector<proto::nft_element>& elements);
  std::string del(const std::vector<proto::nft_element>& elements);
  // The clean exit: the tables this run created are deleted.
  std::string remove_tables();

  const proto::nft_options& options() const { return opts_; }
  std::vector<std::string> tables() const;         // "ip keepalived", as created
  std::size_t elements() const;                    // in the kernel now, both families

private:
  struct table_state {
    bool created = false, link_local = false;
    std::map<proto::nft_element, int> refs;
  };
  table_state& table(proto::ip_address::family fam) { return fam == proto::ip_address::family::v4 ? v4_ : v6_; }
  std::string run(const std::string& commands);
  std::string change(bool add, proto::ip_address::family fam, const std::vector<proto::nft_element>& elements);

  nft_ctx* ctx_;
  proto::nft_options opts_;
  table_state v4_, v6_;
};

} // namespace ka::kern
