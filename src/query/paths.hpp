// What `knots paths` answers: the places knots reads from and keeps things in.
#pragma once

#include <string>
#include <vector>

namespace knots {

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
