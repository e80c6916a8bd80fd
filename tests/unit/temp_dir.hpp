// A directory under /tmp for tests that read files, removed with what it holds.
#pragma once
#include <doctest/doctest.h>

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/ka_parser_test.XXXXXX";
    const char* p = mkdtemp(tmpl);
    REQUIRE(p != nullptr);
    path = p;
  }
  ~temp_dir() {
    std::string cmd = "rm -rf '" + path + "'";
    if (std::system(cmd.c_str()) != 0) std::perror("rm");
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::string full = path + "/" + name;
    std::ofstream(full) << text;
    return full;
  }
};
