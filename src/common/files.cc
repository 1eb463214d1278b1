#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/clock.h"

namespace atiende {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::invalid_argument(path.string() + ": is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::not_found(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::internal(path.string() + ": read error");
  return buffer.str();
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Status::unavailable(temp.string() + ": cannot write (" + std::strerror(errno) + ")");
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) return Status::unavailable(temp.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Status::unavailable(path.string() + ": rename failed: " + ec.message());
  return {};
}

Status ensure_directory(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::unavailable(path.string() + ": cannot create directory: " + ec.message());
  return {};
}

Result<std::string> load_or_create_secret_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    ATIENDE_ASSIGN_OR_RETURN(std::string secret, read_file(path));
    if (secret.size() < 32) return Status::data_loss(path.string() + ": secret is too short");
    return secret;
  }
  if (path.has_parent_path()) ATIENDE_RETURN_IF_ERROR(ensure_directory(path.parent_path()));
  const std::string secret = system_random().hex(32);
  // Created 0600 from the start (no window with the umask's permissions), never over a file
  // that appeared meanwhile.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::unavailable(path.string() + ": cannot create (" + std::strerror(errno) + ")");
  }
  const ssize_t written = ::write(fd, secret.data(), secret.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(secret.size()) || !synced) {
    std::filesystem::remove(path, ec);
    return Status::unavailable(path.string() + ": cannot write the new secret");
  }
  return secret;
}

}  // namespace atiende
