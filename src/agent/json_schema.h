#pragma once
/// A small JSON Schema validator for the subset the agent's tool schemas use:
/// `type` (object, string, integer, number, boolean, array), `properties`, `required`,
/// `additionalProperties: false`, `enum` (strings), `pattern` (ECMAScript regex, whole-string
/// match), `minLength`/`maxLength` (code points), `minimum`/`maximum`, `items`, `maxItems`,
/// `description` (ignored). Unknown keywords are rejected when the schema is compiled, so a tool
/// never believes it is protected by a keyword that is not enforced.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::agent {

/// One problem found in an argument object, addressed with a JSON-pointer-like path ("/plan_id").
struct SchemaViolation {
  std::string path;     ///< "" for the root, "/field" for a property
  std::string message;  ///< English, actionable: "is required", "must be one of: a, b"
};

/// A compiled schema. Immutable after creation; validate() is thread-safe.
class JsonSchema {
 public:
  /// Parses and checks `schema_json`. invalid_argument naming the unsupported keyword or bad value.
  static Result<JsonSchema> compile(std::string_view schema_json);

  /// Validates `instance_json` (untrusted text, e.g. model tool-call arguments). An empty vector
  /// means valid. Unparseable JSON yields one violation at the root.
  std::vector<SchemaViolation> validate(std::string_view instance_json) const;

  /// The schema text as given (for function calling).
  const std::string& text() const { return text_; }

  struct Node;  ///< compiled keyword tree (opaque)

  JsonSchema(const JsonSchema&);
  JsonSchema& operator=(const JsonSchema&);
  JsonSchema(JsonSchema&&) noexcept;
  JsonSchema& operator=(JsonSchema&&) noexcept;
  ~JsonSchema();

 private:
  JsonSchema() = default;
  std::string text_;
  std::shared_ptr<const Node> root_;
};

/// "plan_id is required; color must be one of: negro, blanco" style one-line summary.
std::string describe_violations(const std::vector<SchemaViolation>& violations);

}  // namespace atiende::agent
