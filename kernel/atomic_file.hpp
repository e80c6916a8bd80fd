// A file replaced whole, never seen half-written: the content goes to a new temporary
// file beside it (created with O_EXCL, so never through a symlink or a file someone placed
// there), then rename() puts it in place (rename replaces a symlink at the path itself and
// does not follow it). For the dump files in /tmp (actors/dump_files.cpp), a directory
// anyone may write to.
#pragma once
#include <sys/types.h>

#include <string>

namespace ka::kern {

// "" on success, else why not (the temporary file is removed).
std::string write_file_atomically(const std::string& path, const std::string& content, mode_t mode);

} // namespace ka::kern
