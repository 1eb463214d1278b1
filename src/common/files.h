#pragma once
/// File helpers that return Status instead of throwing.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atiende {

/// Whole file as bytes. Errors name the path.
Result<std::string> read_file(const std::filesystem::path& path);
/// Writes to "<path>.tmp" then renames, so readers never see a half-written file.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);
/// Creates the directory and its parents when missing.
Status ensure_directory(const std::filesystem::path& path);
/// A server secret kept in `path`: its contents when the file exists (data_loss when shorter than
/// 32 bytes), else a new random value of 64 hex characters written there with mode 0600 (parent
/// directories created). Errors name the file.
Result<std::string> load_or_create_secret_file(const std::filesystem::path& path);

}  // namespace atiende
