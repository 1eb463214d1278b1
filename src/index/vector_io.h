#pragma once
/// Checksummed binary files for the vector indexes (internal to index/; not a public contract).
///
/// Layout written by VectorFileWriter: the caller's fields in native byte order, then an 8-byte
/// checksum of every byte before it. Writes go to "<path>.tmp" and are renamed into place by
/// finish(), so a reader never sees a half-written file. Readers verify the checksum while reading
/// and report data_loss for a truncated or corrupted file, never crash.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>

#include "common/status.h"

namespace atiende::index {

/// Streaming 64-bit checksum (word-wise multiply-rotate mix; detects corruption, not attacks).
class Checksum64 {
 public:
  void update(const void* data, size_t bytes);
  uint64_t value() const;

 private:
  void mix(uint64_t word);
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
  uint64_t pending_ = 0;   ///< bytes not yet forming a whole word
  size_t pending_len_ = 0;
  uint64_t total_ = 0;
};

/// Checksum of a whole file (streamed). Errors name the path.
Result<uint64_t> checksum_file(const std::filesystem::path& path);

class VectorFileWriter {
 public:
  /// Opens "<path>.tmp" for writing. Check status() before writing.
  explicit VectorFileWriter(std::filesystem::path path);
  ~VectorFileWriter();
  VectorFileWriter(const VectorFileWriter&) = delete;
  VectorFileWriter& operator=(const VectorFileWriter&) = delete;

  const Status& status() const { return status_; }
  void write_bytes(const void* data, size_t bytes);
  template <typename T>
  void write(const T& value) {
    write_bytes(&value, sizeof(T));
  }
  template <typename T>
  void write_span(std::span<const T> values) {
    write_bytes(values.data(), values.size_bytes());
  }
  /// Appends the checksum, flushes and renames into place. Returns the first error seen.
  Status finish();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::ofstream out_;
  Checksum64 checksum_;
  Status status_;
  bool finished_ = false;
};

class VectorFileReader {
 public:
  explicit VectorFileReader(const std::filesystem::path& path);
  const Status& status() const { return status_; }
  /// Bytes left before the trailing checksum (valid after a successful open).
  uint64_t remaining() const { return remaining_; }
  void read_bytes(void* data, size_t bytes);
  template <typename T>
  T read() {
    T value{};
    read_bytes(&value, sizeof(T));
    return value;
  }
  template <typename T>
  void read_span(std::span<T> values) {
    read_bytes(values.data(), values.size_bytes());
  }
  /// Reads and verifies the trailing checksum; data_loss when it does not match or bytes are left.
  Status finish();

 private:
  std::string path_;
  std::ifstream in_;
  Checksum64 checksum_;
  uint64_t remaining_ = 0;
  Status status_;
};

}  // namespace atiende::index
