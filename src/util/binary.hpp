// Flat binary encodings (the model cache, the search index): integers, strings, and a reader that
// checks every length against the bytes it has, so that damaged bytes only make it fail.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace knots {

/// Appends values in the machine's byte order: the files are read back by the same build only.
class ByteWriter {
 public:
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  /// LEB128: seven bits a byte, small numbers (the gaps between sorted numbers) in one.
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7FU) | 0x80U);
      v >>= 7U;
    }
    out_ += static_cast<char>(v);
  }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  /// Overwrites the u32 at `at` (written earlier as a placeholder).
  void patch_u32(std::size_t at, std::uint32_t v) { std::memcpy(out_.data() + at, &v, sizeof v); }
  [[nodiscard]] std::size_t size() const { return out_.size(); }
  std::string& bytes() { return out_; }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

/// Reads what ByteWriter wrote. Reading past the end, or a length larger than what is left, makes
/// it not ok() and returns zeros and empty strings from then on.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in, std::size_t pos = 0) : in_(in), pos_(pos) {
    if (pos > in.size()) fail();
  }
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool done() const { return pos_ == in_.size(); }
  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] std::size_t left() const { return in_.size() - pos_; }

  std::uint32_t u32() { return take<std::uint32_t>(); }
  std::uint64_t u64() { return take<std::uint64_t>(); }
  double f64() { return take<double>(); }
  /// Inlined: a search reads millions of them.
  [[gnu::always_inline]] std::uint64_t varint() {
    std::uint64_t v = 0;
    for (unsigned shift = 0; pos_ < in_.size() && shift < 64; shift += 7) {
      const auto byte = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7FU) << shift;
      if ((byte & 0x80U) == 0) return ok_ ? v : 0;
    }
    fail();
    return 0;
  }
  /// A string, not copied: valid as long as the bytes read are.
  std::string_view view() {
    const std::uint32_t n = u32();
    if (!ok_ || n > left()) {
      fail();
      return {};
    }
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string str() { return std::string(view()); }
  /// A count of items, each at least `least` bytes: more than the bytes left allow is damage.
  std::size_t count(std::size_t least = 4) {
    const std::uint32_t n = u32();
    if (!ok_ || (least > 0 && n > left() / least)) {
      fail();
      return 0;
    }
    return n;
  }
  void fail() { ok_ = false; }

 private:
  template <class T>
  T take() {
    T v{};
    if (!ok_ || sizeof v > left()) {
      fail();
      return T{};
    }
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace knots
