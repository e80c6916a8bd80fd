#include "kernel/proc_scan.hpp"

#include <dirent.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

namespace ka::kern {

std::vector<proc_entry> scan_processes() {
  std::vector<proc_entry> out;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir("/proc"), closedir);
  if (!dir)
    return out;
  while (auto* de = readdir(dir.get())) {
    if (!std::isdigit(static_cast<unsigned char>(de->d_name[0])))
      continue;
    proc_entry e;
    e.pid = std::atoi(de->d_name);
    std::string base = std::string("/proc/") + de->d_name;
    std::ifstream status(base + "/status");
    std::string line;
    if (!status || !std::getline(status, line) || line.rfind("Name:", 0) != 0)
      continue;  // gone already
    auto start = line.find_first_not_of(" \t", 5);
    e.name = start == std::string::npos ? "" : line.substr(start);
    std::ifstream cmd(base + "/cmdline", std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    std::string word;
    for (char c : all) {
      if (c == '\0') {
        e.argv.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty())
      e.argv.push_back(word);
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace ka::kern
