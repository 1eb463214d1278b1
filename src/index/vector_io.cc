#include "index/vector_io.h"

#include <cerrno>
#include <cstring>
#include <vector>

namespace atiende::index {
namespace {
constexpr uint64_t kMul = 0xFF51AFD7ED558CCDULL;
inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
}  // namespace

void Checksum64::mix(uint64_t word) {
  state_ ^= word * 0xC4CEB9FE1A85EC53ULL;
  state_ = rotl(state_, 29) * kMul;
}

void Checksum64::update(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += bytes;
  while (bytes > 0 && pending_len_ != 0) {
    pending_ |= static_cast<uint64_t>(*p++) << (8 * pending_len_);
    --bytes;
    if (++pending_len_ == 8) {
      mix(pending_);
      pending_ = 0;
      pending_len_ = 0;
    }
  }
  while (bytes >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    mix(word);
    p += 8;
    bytes -= 8;
  }
  while (bytes > 0) {
    pending_ |= static_cast<uint64_t>(*p++) << (8 * pending_len_);
    ++pending_len_;
    --bytes;
  }
}

uint64_t Checksum64::value() const {
  uint64_t h = state_ ^ (pending_ * 0x9E3779B97F4A7C15ULL) ^ total_;
  h ^= h >> 33;
  h *= kMul;
  h ^= h >> 33;
  return h;
}

Result<uint64_t> checksum_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  Checksum64 sum;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    sum.update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::unavailable(path.string() + ": read error");
  return sum.value();
}

VectorFileWriter::VectorFileWriter(std::filesystem::path path)
    : path_(std::move(path)), temp_(path_.string() + ".tmp") {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    status_ = Status::unavailable(temp_.string() + ": cannot write (" + std::strerror(errno) + ")");
  }
}

VectorFileWriter::~VectorFileWriter() {
  if (!finished_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void VectorFileWriter::write_bytes(const void* data, size_t bytes) {
  if (!status_.ok() || bytes == 0) return;
  checksum_.update(data, bytes);
  out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out_) status_ = Status::unavailable(temp_.string() + ": write failed");
}

Status VectorFileWriter::finish() {
  if (status_.ok()) {
    const uint64_t sum = checksum_.value();
    out_.write(reinterpret_cast<const char*>(&sum), sizeof(sum));
    out_.flush();
    if (!out_) status_ = Status::unavailable(temp_.string() + ": write failed");
  }
  out_.close();
  if (status_.ok()) {
    std::error_code ec;
    std::filesystem::rename(temp_, path_, ec);
    if (ec) status_ = Status::unavailable(path_.string() + ": rename failed: " + ec.message());
  }
  finished_ = status_.ok();
  return status_;
}

VectorFileReader::VectorFileReader(const std::filesystem::path& path) : path_(path.string()) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    status_ = Status::not_found(path_ + ": cannot open: " + ec.message());
    return;
  }
  if (size < sizeof(uint64_t)) {
    status_ = Status::data_loss(path_ + ": truncated (" + std::to_string(size) + " bytes)");
    return;
  }
  remaining_ = size - sizeof(uint64_t);
  in_.open(path, std::ios::binary);
  if (!in_) status_ = Status::not_found(path_ + ": cannot open (" + std::strerror(errno) + ")");
}

void VectorFileReader::read_bytes(void* data, size_t bytes) {
  if (!status_.ok()) {
    std::memset(data, 0, bytes);
    return;
  }
  if (bytes > remaining_) {
    std::memset(data, 0, bytes);
    status_ = Status::data_loss(path_ + ": truncated or corrupt (needs more bytes than present)");
    return;
  }
  in_.read(static_cast<char*>(data), static_cast<std::streamsize>(bytes));
  if (!in_) {
    std::memset(data, 0, bytes);
    status_ = Status::data_loss(path_ + ": read failed");
    return;
  }
  remaining_ -= bytes;
  checksum_.update(data, bytes);
}

Status VectorFileReader::finish() {
  if (!status_.ok()) return status_;
  if (remaining_ != 0) {
    return status_ = Status::data_loss(path_ + ": " + std::to_string(remaining_) +
                                       " unexpected trailing bytes");
  }
  uint64_t stored = 0;
  in_.read(reinterpret_cast<char*>(&stored), sizeof(stored));
  if (!in_) return status_ = Status::data_loss(path_ + ": missing checksum");
  if (stored != checksum_.value()) return status_ = Status::data_loss(path_ + ": checksum mismatch");
  return status_;
}

}  // namespace atiende::index
