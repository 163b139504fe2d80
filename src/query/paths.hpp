// What `knots paths` answers: the places knots reads from and keeps things in.
#pragma once

#include <string>
#include <vector>

namespace knots {

/// One knowledge-base folder as `knots paths` reports it.
struct FolderStatus {
  std::string path;          ///< "<built-in>" for the embedded one
  std::string from;          ///< "built-in", "user", "KNOTS_PATH" or "--kb"
  std::string status;        ///< "ok", "missing", "unreadable" or "invalid"
  std::size_t problems = 0;  ///< problems found in its files (validate lists them)
};

/// Where knots looks and keeps things besides the folders it reads, as `knots paths` shows them.
struct Places {
  std::string user_folder;                ///< absolute, or "" when there is none
  std::string user_note;                  ///< why there is none, or that it does not exist yet
  std::string cache;                      ///< absolute, or "" when there is none
  std::string cache_note;                 ///< why there is none
  std::vector<std::string> ignored;       ///< KNOTS_PATH entries left out (not absolute)
  std::vector<std::string> vocabularies;  ///< the vocabulary files read (techniques.yaml …), in order
};

}  // namespace knots
