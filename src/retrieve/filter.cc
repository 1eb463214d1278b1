#include "retrieve/filter.h"

#include <algorithm>

#include "common/json.h"
#include "common/strings.h"

namespace atiende::retrieve {
namespace {

constexpr std::string_view kMetadataPrefix = "metadata.";

/// String values as is; other scalars by compact JSON text.
std::string scalar_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return dump_json(value);
}

}  // namespace

Status validate_filter(const index::Filter& filter) {
  for (const auto& condition : filter.conditions) {
    const std::string& f = condition.field;
    const bool known = f == "type" || f == "language" || f == "doc_id" ||
                       (f.size() > kMetadataPrefix.size() && f.starts_with(kMetadataPrefix));
    if (!known) {
      return Status::invalid_argument("filter field \"" + f +
                                      "\" is unknown (use type, language, doc_id or "
                                      "metadata.<key>)");
    }
    if (condition.values.empty()) {
      return Status::invalid_argument("filter field \"" + f + "\" has no values");
    }
  }
  return {};
}

Result<ChunkFilter> ChunkFilter::compile(const index::Filter& filter) {
  ATIENDE_RETURN_IF_ERROR(validate_filter(filter));
  ChunkFilter compiled;
  for (const auto& condition : filter.conditions) {
    Condition c;
    c.values = condition.values;
    if (condition.field == "type") {
      c.field = Field::kType;
    } else if (condition.field == "language") {
      c.field = Field::kLanguage;
    } else if (condition.field == "doc_id") {
      c.field = Field::kDocId;
    } else {
      c.field = Field::kMetadata;
      c.key = condition.field.substr(kMetadataPrefix.size());
      compiled.needs_metadata_ = true;
    }
    compiled.conditions_.push_back(std::move(c));
  }
  return compiled;
}

bool ChunkFilter::matches(const store::Chunk& chunk) const {
  if (conditions_.empty()) return true;
  Json metadata;
  bool metadata_ok = false;
  if (needs_metadata_) {
    auto parsed = parse_json(chunk.metadata_json);
    if (parsed.ok() && parsed->is_object()) {
      metadata = std::move(parsed).value();
      metadata_ok = true;
    }
  }
  auto in = [](const std::vector<std::string>& values, std::string_view v) {
    return std::find(values.begin(), values.end(), v) != values.end();
  };
  for (const auto& c : conditions_) {
    switch (c.field) {
      case Field::kType:
        if (!in(c.values, chunk.type)) return false;
        break;
      case Field::kLanguage:
        if (!in(c.values, chunk.language)) return false;
        break;
      case Field::kDocId:
        if (!in(c.values, chunk.doc_id)) return false;
        break;
      case Field::kMetadata: {
        if (!metadata_ok) return false;
        auto it = metadata.find(c.key);
        if (it == metadata.end() || it->is_null() || it->is_object() || it->is_array()) {
          return false;
        }
        if (!in(c.values, scalar_text(*it))) return false;
        break;
      }
    }
  }
  return true;
}

Result<index::Filter> parse_filter_args(std::span<const std::string> args) {
  index::Filter filter;
  for (const auto& arg : args) {
    const auto eq = arg.find('=');
    if (eq == std::string::npos) {
      return Status::invalid_argument("--filter \"" + arg + "\": expected key=value or key=v1,v2");
    }
    index::FilterCondition condition;
    condition.field = std::string(trim(std::string_view(arg).substr(0, eq)));
    for (auto part : split(std::string_view(arg).substr(eq + 1), ',')) {
      const auto value = trim(part);
      if (value.empty()) {
        return Status::invalid_argument("--filter \"" + arg + "\": empty value");
      }
      condition.values.emplace_back(value);
    }
    filter.conditions.push_back(std::move(condition));
  }
  if (Status status = validate_filter(filter); !status.ok()) {
    return status.with_context("--filter");
  }
  return filter;
}

Result<index::Filter> parse_filter_json(std::string_view json_text) {
  ATIENDE_ASSIGN_OR_RETURN(const Json root, parse_json(json_text));
  index::Filter filter;
  if (root.is_null()) return filter;
  if (!root.is_object()) return Status::invalid_argument("filter: must be a JSON object");
  auto add = [&filter](std::string field, const Json& value) -> Status {
    index::FilterCondition condition;
    condition.field = std::move(field);
    auto add_value = [&](const Json& v) -> Status {
      if (!(v.is_string() || v.is_number() || v.is_boolean())) {
        return Status::invalid_argument("filter." + condition.field +
                                        ": values must be strings, numbers or booleans");
      }
      condition.values.push_back(scalar_text(v));
      return {};
    };
    if (value.is_array()) {
      if (value.empty()) {
        return Status::invalid_argument("filter." + condition.field + ": empty list");
      }
      for (const auto& v : value) ATIENDE_RETURN_IF_ERROR(add_value(v));
    } else {
      ATIENDE_RETURN_IF_ERROR(add_value(value));
    }
    filter.conditions.push_back(std::move(condition));
    return {};
  };
  for (const auto& [key, value] : root.items()) {
    if (key == "metadata" && value.is_object()) {
      for (const auto& [sub_key, sub_value] : value.items()) {
        ATIENDE_RETURN_IF_ERROR(add(std::string(kMetadataPrefix) + sub_key, sub_value));
      }
    } else {
      ATIENDE_RETURN_IF_ERROR(add(key, value));
    }
  }
  if (Status status = validate_filter(filter); !status.ok()) return status.with_context("filter");
  return filter;
}

}  // namespace atiende::retrieve
