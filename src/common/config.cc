#include "common/config.h"

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <toml++/toml.h>

#include "common/files.h"
#include "common/strings.h"

namespace atiende {

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvLookup map_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string env_name_for_key(std::string_view key) {
  std::string name = "ATIENDE_";
  for (char c : key) {
    name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

struct Config::Impl {
  toml::table root;
  std::map<std::string, std::string, std::less<>> overrides;  // from set()

  const toml::node* find(std::string_view key) const {
    return root.at_path(toml::path(key)).node();
  }
};

Config::Config(EnvLookup env) : impl_(std::make_unique<Impl>()), env_(std::move(env)) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;
Config::Config(const Config& other)
    : impl_(std::make_unique<Impl>(*other.impl_)), env_(other.env_) {}
Config& Config::operator=(const Config& other) {
  if (this != &other) {
    impl_ = std::make_unique<Impl>(*other.impl_);
    env_ = other.env_;
  }
  return *this;
}

Result<Config> Config::load_string(std::string_view toml_text, EnvLookup env,
                                   std::string_view origin) {
  Config config(std::move(env));
  try {
    config.impl_->root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << origin << ":" << error.source().begin.line << ":" << error.source().begin.column
            << ": " << error.description();
    return Status::invalid_argument(message.str());
  }
  return config;
}

Result<Config> Config::load_file(const std::filesystem::path& path, EnvLookup env) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return load_string(*text, std::move(env), path.string());
}

std::optional<std::string> Config::env_value(std::string_view key) const {
  if (!env_) return std::nullopt;
  return env_(env_name_for_key(key));
}

bool Config::has(std::string_view key) const {
  return env_value(key).has_value() || impl_->overrides.count(key) > 0 ||
         impl_->find(key) != nullptr;
}

void Config::set(std::string_view key, std::string value) {
  impl_->overrides[std::string(key)] = std::move(value);
}

namespace {
Status type_error(std::string_view key, std::string_view expected, std::string_view got) {
  return Status::invalid_argument("config key '" + std::string(key) + "' must be " +
                                  std::string(expected) + ", got '" + std::string(got) + "'");
}
}  // namespace

// Precedence: environment, then set(), then the file.
#define ATIENDE_CONFIG_TEXT_SOURCE(key)                              \
  std::optional<std::string> text = env_value(key);                  \
  if (!text) {                                                       \
    auto it = impl_->overrides.find(key);                            \
    if (it != impl_->overrides.end()) text = it->second;             \
  }

Result<std::string> Config::get_string(std::string_view key, std::string_view fallback) const {
  ATIENDE_CONFIG_TEXT_SOURCE(key)
  if (text) return *text;
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return std::string(fallback);
  if (auto value = node->value<std::string>()) return *value;
  return type_error(key, "a string", "non-string value");
}

Result<int64_t> Config::get_int(std::string_view key, int64_t fallback) const {
  ATIENDE_CONFIG_TEXT_SOURCE(key)
  if (text) {
    auto parsed = parse_int64(*text);
    if (!parsed) return type_error(key, "an integer", *text);
    return *parsed;
  }
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return fallback;
  if (auto value = node->value_exact<int64_t>()) return *value;
  return type_error(key, "an integer", "non-integer value");
}

Result<double> Config::get_double(std::string_view key, double fallback) const {
  ATIENDE_CONFIG_TEXT_SOURCE(key)
  if (text) {
    auto parsed = parse_double(*text);
    if (!parsed) return type_error(key, "a number", *text);
    return *parsed;
  }
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return fallback;
  if (auto value = node->value<double>()) return *value;
  return type_error(key, "a number", "non-numeric value");
}

Result<bool> Config::get_bool(std::string_view key, bool fallback) const {
  ATIENDE_CONFIG_TEXT_SOURCE(key)
  if (text) {
    const std::string lower = ascii_lower(trim(*text));
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
    if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
    return type_error(key, "a boolean", *text);
  }
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return fallback;
  if (auto value = node->value_exact<bool>()) return *value;
  return type_error(key, "a boolean", "non-boolean value");
}

Result<std::vector<std::string>> Config::get_string_list(std::string_view key,
                                                         std::vector<std::string> fallback) const {
  ATIENDE_CONFIG_TEXT_SOURCE(key)
  if (text) {
    std::vector<std::string> out;
    for (auto& part : split(*text, ',')) {
      auto item = std::string(trim(part));
      if (!item.empty()) out.push_back(std::move(item));
    }
    return out;
  }
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return fallback;
  const toml::array* array = node->as_array();
  if (array == nullptr) return type_error(key, "an array of strings", "non-array value");
  std::vector<std::string> out;
  for (const auto& element : *array) {
    auto value = element.value<std::string>();
    if (!value) return type_error(key, "an array of strings", "a non-string element");
    out.push_back(*value);
  }
  return out;
}

Result<std::string> Config::get_json(std::string_view key) const {
  const toml::node* node = impl_->find(key);
  if (node == nullptr) return Status::not_found("config key '" + std::string(key) + "' is not set");
  std::ostringstream out;
  if (const auto* table = node->as_table()) {
    out << toml::json_formatter{*table};
  } else if (const auto* array = node->as_array()) {
    out << toml::json_formatter{*array};
  } else {
    return type_error(key, "a table or an array", "a scalar");
  }
  return out.str();
}

}  // namespace atiende
