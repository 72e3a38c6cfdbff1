// What the seed writers of every fuzz target share: file names made from state names, and
// writing one encoded input to a corpus directory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace tcpconform::fuzz {

// "SYN-RECEIVED(simultaneous-open)" → "syn-received-simultaneous-open": a file name.
inline std::string slug(std::string_view text) {
  std::string s;
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') {
      s += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      s += c;
    } else if (!s.empty() && s.back() != '-') {
      s += '-';
    }
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s;
}

// Writes `bytes` to `path`; says so on stderr and returns false when it cannot.
inline bool write_seed(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT: byte I/O
            static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace tcpconform::fuzz
