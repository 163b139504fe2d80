// The shipped knowledge base already parsed: the build runs encode_model.cpp, which loads kb/ and
// encodes the model (and its search index) as the cache does, and compiles the bytes into knots.
#pragma once

#include <string_view>

namespace knots::cli {

/// The bytes load::serialize() made of the shipped knowledge base and its search index, for
/// load::CachedModel::parse(); defined in the generated embedded_model.cpp.
std::string_view embedded_model();

}  // namespace knots::cli
