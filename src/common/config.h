#pragma once
/// Configuration: a TOML file plus `ATIENDE_*` environment overrides.
///
/// Every key is addressed as "section.key" (nested tables add more dots). The environment variable
/// for a key is "ATIENDE_" + the key upper-cased with '.' turned into '_': `llm.base_url` is
/// `ATIENDE_LLM_BASE_URL`. The environment always wins over the file. Getters fail with an
/// invalid_argument Status naming the key when a value has the wrong type, so that bad config
/// fails fast at start-up.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende {

/// Looks up an environment variable by name; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment.
EnvLookup process_env();

/// An environment backed by a map (for tests).
EnvLookup map_env(std::map<std::string, std::string> values);

/// The environment variable that overrides `key`, e.g. "llm.base_url" -> "ATIENDE_LLM_BASE_URL".
std::string env_name_for_key(std::string_view key);

/// Immutable, thread-safe after construction.
class Config {
 public:
  /// An empty config that reads only the environment.
  explicit Config(EnvLookup env = process_env());
  ~Config();
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  Config(const Config&);
  Config& operator=(const Config&);

  /// Parses a TOML file. A missing or malformed file is an error naming the file and line.
  static Result<Config> load_file(const std::filesystem::path& path, EnvLookup env = process_env());
  /// Parses TOML text; `origin` names it in errors.
  static Result<Config> load_string(std::string_view toml_text, EnvLookup env = process_env(),
                                    std::string_view origin = "config");

  /// True when the key is set in the file or the environment.
  bool has(std::string_view key) const;

  Result<std::string> get_string(std::string_view key, std::string_view fallback) const;
  Result<int64_t> get_int(std::string_view key, int64_t fallback) const;
  Result<double> get_double(std::string_view key, double fallback) const;
  /// Accepts true/false, 1/0, yes/no, on/off from the environment.
  Result<bool> get_bool(std::string_view key, bool fallback) const;
  /// A TOML array of strings, or a comma-separated environment value.
  Result<std::vector<std::string>> get_string_list(std::string_view key,
                                                   std::vector<std::string> fallback) const;

  /// The TOML subtree at `key` (a table or array) rendered as JSON text, for modules that declare
  /// structured settings (custom recognizers, backend operations). Not found when absent.
  Result<std::string> get_json(std::string_view key) const;

  /// Sets a value as if it came from the file (used by CLI flags and tests).
  void set(std::string_view key, std::string value);

  /// The environment this config reads.
  const EnvLookup& env() const { return env_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  EnvLookup env_;
  std::optional<std::string> env_value(std::string_view key) const;
};

}  // namespace atiende
