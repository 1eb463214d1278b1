#include "agent/json_schema.h"

#include <re2/re2.h>

#include <map>
#include <optional>
#include <set>

#include "common/json.h"
#include "text/utf8.h"

namespace atiende::agent {

struct JsonSchema::Node {
  std::string type;  ///< "" = any
  std::map<std::string, std::shared_ptr<const Node>> properties;
  std::vector<std::string> required;
  bool additional_properties = true;
  std::vector<std::string> enum_values;
  std::shared_ptr<const RE2> pattern;
  std::string pattern_text;
  std::optional<int64_t> min_length, max_length, max_items;
  std::optional<double> minimum, maximum;
  std::shared_ptr<const Node> items;
};

namespace {

using Node = JsonSchema::Node;

const std::set<std::string>& known_keywords() {
  static const std::set<std::string> kKnown = {
      "type", "properties", "required", "additionalProperties", "enum", "pattern", "minLength",
      "maxLength", "minimum", "maximum", "items", "maxItems", "description", "title", "$schema",
      "examples", "default"};
  return kKnown;
}

Result<std::shared_ptr<const Node>> compile_node(const Json& schema, const std::string& path) {
  if (!schema.is_object()) return Status::invalid_argument("schema at '" + path + "' is not an object");
  auto node = std::make_shared<Node>();
  for (const auto& [key, value] : schema.items()) {
    if (!known_keywords().count(key)) {
      return Status::invalid_argument("unsupported schema keyword '" + key + "' at '" + path + "'");
    }
    if (key == "type") {
      if (!value.is_string()) return Status::invalid_argument("'type' must be a string at '" + path + "'");
      node->type = value.get<std::string>();
      static const std::set<std::string> kTypes = {"object", "string",  "integer",
                                                   "number", "boolean", "array"};
      if (!kTypes.count(node->type)) {
        return Status::invalid_argument("unsupported type '" + node->type + "' at '" + path + "'");
      }
    } else if (key == "properties") {
      if (!value.is_object()) return Status::invalid_argument("'properties' must be an object");
      for (const auto& [name, sub] : value.items()) {
        ATIENDE_ASSIGN_OR_RETURN(auto child, compile_node(sub, path + "/" + name));
        node->properties[name] = std::move(child);
      }
    } else if (key == "required") {
      if (!value.is_array()) return Status::invalid_argument("'required' must be an array");
      for (const auto& r : value) {
        if (!r.is_string()) return Status::invalid_argument("'required' entries must be strings");
        node->required.push_back(r.get<std::string>());
      }
    } else if (key == "additionalProperties") {
      if (!value.is_boolean()) {
        return Status::invalid_argument("only boolean 'additionalProperties' is supported");
      }
      node->additional_properties = value.get<bool>();
    } else if (key == "enum") {
      if (!value.is_array()) return Status::invalid_argument("'enum' must be an array");
      for (const auto& e : value) {
        if (!e.is_string()) return Status::invalid_argument("only string enums are supported");
        node->enum_values.push_back(e.get<std::string>());
      }
    } else if (key == "pattern") {
      if (!value.is_string()) return Status::invalid_argument("'pattern' must be a string");
      node->pattern_text = value.get<std::string>();
      RE2::Options options;
      options.set_log_errors(false);
      auto re = std::make_shared<RE2>(node->pattern_text, options);
      if (!re->ok()) {
        return Status::invalid_argument("bad pattern at '" + path + "': " + re->error());
      }
      node->pattern = std::move(re);
    } else if (key == "minLength" || key == "maxLength" || key == "maxItems") {
      if (!value.is_number_integer()) return Status::invalid_argument("'" + key + "' must be an integer");
      auto& slot = key == "minLength" ? node->min_length
                   : key == "maxLength" ? node->max_length : node->max_items;
      slot = value.get<int64_t>();
    } else if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) return Status::invalid_argument("'" + key + "' must be a number");
      (key == "minimum" ? node->minimum : node->maximum) = value.get<double>();
    } else if (key == "items") {
      ATIENDE_ASSIGN_OR_RETURN(node->items, compile_node(value, path + "/items"));
    }
  }
  return std::shared_ptr<const Node>(std::move(node));
}

std::string type_of(const Json& v) {
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  return "null";
}

void check(const Node& node, const Json& value, const std::string& path,
           std::vector<SchemaViolation>& out) {
  const std::string actual = type_of(value);
  if (!node.type.empty()) {
    bool matches = actual == node.type || (node.type == "number" && actual == "integer");
    // A float with an integral value (3.0) is accepted as an integer, as JSON Schema says.
    if (!matches && node.type == "integer" && actual == "number") {
      double d = value.get<double>();
      matches = d == static_cast<double>(static_cast<int64_t>(d));
    }
    if (!matches) {
      out.push_back({path, "must be of type " + node.type + " (got " + actual + ")"});
      return;
    }
  }
  if (value.is_object()) {
    for (const auto& name : node.required) {
      if (!value.contains(name)) out.push_back({path + "/" + name, "is required"});
    }
    for (const auto& [name, sub] : value.items()) {
      auto it = node.properties.find(name);
      if (it == node.properties.end()) {
        if (!node.additional_properties) {
          out.push_back({path + "/" + name, "is not an allowed argument"});
        }
        continue;
      }
      check(*it->second, sub, path + "/" + name, out);
    }
  } else if (value.is_string()) {
    const std::string s = value.get<std::string>();
    const auto length = static_cast<int64_t>(text::count_code_points(s));
    if (node.max_length && length > *node.max_length) {
      out.push_back({path, "must be at most " + std::to_string(*node.max_length) + " characters"});
      return;  // never run a pattern over oversized input
    }
    if (node.min_length && length < *node.min_length) {
      out.push_back({path, "must be at least " + std::to_string(*node.min_length) + " characters"});
    }
    if (!node.enum_values.empty()) {
      bool found = false;
      for (const auto& e : node.enum_values) found = found || e == s;
      if (!found) {
        std::string list;
        for (const auto& e : node.enum_values) list += (list.empty() ? "" : ", ") + e;
        out.push_back({path, "must be one of: " + list});
      }
    }
    if (node.pattern && !RE2::FullMatch(s, *node.pattern)) {
      out.push_back({path, "must match " + node.pattern_text});
    }
  } else if (value.is_number()) {
    const double d = value.get<double>();
    if (node.minimum && d < *node.minimum) {
      out.push_back({path, "must be >= " + dump_json(Json(*node.minimum))});
    }
    if (node.maximum && d > *node.maximum) {
      out.push_back({path, "must be <= " + dump_json(Json(*node.maximum))});
    }
  } else if (value.is_array()) {
    if (node.max_items && static_cast<int64_t>(value.size()) > *node.max_items) {
      out.push_back({path, "must have at most " + std::to_string(*node.max_items) + " items"});
      return;
    }
    if (node.items) {
      for (size_t i = 0; i < value.size(); ++i) {
        check(*node.items, value[i], path + "/" + std::to_string(i), out);
      }
    }
  }
}

}  // namespace

JsonSchema::JsonSchema(const JsonSchema&) = default;
JsonSchema& JsonSchema::operator=(const JsonSchema&) = default;
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

Result<JsonSchema> JsonSchema::compile(std::string_view schema_json) {
  ATIENDE_ASSIGN_OR_RETURN(Json parsed, parse_json(schema_json));
  JsonSchema schema;
  schema.text_ = std::string(schema_json);
  ATIENDE_ASSIGN_OR_RETURN(schema.root_, compile_node(parsed, ""));
  return schema;
}

std::vector<SchemaViolation> JsonSchema::validate(std::string_view instance_json) const {
  std::vector<SchemaViolation> out;
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 16;
  auto parsed = parse_json(instance_json, limits);
  if (!parsed.ok()) {
    out.push_back({"", "arguments are not valid JSON: " + parsed.status().message()});
    return out;
  }
  if (root_) check(*root_, *parsed, "", out);
  return out;
}

std::string describe_violations(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) {
    if (!out.empty()) out += "; ";
    std::string name = v.path.empty() ? "arguments" : v.path.substr(1);
    out += name + " " + v.message;
  }
  return out;
}

}  // namespace atiende::agent
