#include "common/json.h"

namespace atiende {

Result<Json> parse_json(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::invalid_argument("JSON is " + std::to_string(text.size()) +
                                    " bytes; the limit is " + std::to_string(limits.max_bytes));
  }
  // Reject excessive nesting before parsing (nlohmann recurses).
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        return Status::invalid_argument("JSON nesting deeper than " +
                                        std::to_string(limits.max_depth) + " at byte " +
                                        std::to_string(i));
      }
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    std::string message = error.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] "; keep the useful part.
    if (auto pos = message.find("] "); pos != std::string::npos) message = message.substr(pos + 2);
    return Status::invalid_argument("malformed JSON: " + message);
  }
}

std::string dump_json(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Result<std::string> json_string_field(const Json& object, std::string_view field) {
  if (!object.is_object()) return Status::invalid_argument("expected a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    return Status::invalid_argument("missing field '" + std::string(field) + "'");
  }
  if (!it->is_string()) {
    return Status::invalid_argument("field '" + std::string(field) + "' must be a string");
  }
  return it->get<std::string>();
}

Result<std::string> json_optional_string(const Json& object, std::string_view field,
                                         std::string_view fallback) {
  if (!object.is_object()) return Status::invalid_argument("expected a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string(fallback);
  if (!it->is_string()) {
    return Status::invalid_argument("field '" + std::string(field) + "' must be a string");
  }
  return it->get<std::string>();
}

Result<int64_t> json_optional_int(const Json& object, std::string_view field, int64_t fallback) {
  if (!object.is_object()) return Status::invalid_argument("expected a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) {
    return Status::invalid_argument("field '" + std::string(field) + "' must be an integer");
  }
  return it->get<int64_t>();
}

}  // namespace atiende
