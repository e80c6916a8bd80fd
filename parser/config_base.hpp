// Positions and the small shared pieces of the config model (parser/config.hpp).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ka::config {

// A file name shared by every position in that file: every word of the syntax tree has
// a position, and a config of a million words must not hold a million copies of its path.
class file_name {
public:
  file_name() = default;
  file_name(std::string name, std::string note = {})
      : name_(std::make_shared<const named>(named{std::move(name), std::move(note)})) {}
  file_name(const char* name) : file_name(std::string(name)) {}
  const std::string& str() const { return name_ ? name_->name : empty(); }
  const std::string& note() const { return name_ ? name_->note : empty(); }
  operator const std::string&() const { return str(); }
  friend bool operator==(const file_name& a, const std::string& b) { return a.str() == b; }
  friend bool operator!=(const file_name& a, const std::string& b) { return a.str() != b; }
private:
  static const std::string& empty() {
    static const std::string e;
    return e;
  }
  struct named {
    std::string name, note;
  };
  std::shared_ptr<const named> name_;
};

struct source_pos {
  file_name file;
  int line = 0;
  int column = 0;
  std::string to_string() const;  // "file:line:column", then " (note)" when there is one
};

// A reference by name to another block (a vrrp_script named in track_script, an
// interface in track_interface...), with the weight the referrer gives it.
struct tracked {
  std::string name;
  bool weight_set = false;
  int weight = 0;
  bool reverse = false;
  source_pos where;
};

} // namespace ka::config
