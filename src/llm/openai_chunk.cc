#include "llm/openai_chunk.h"

#include <array>

#include <nlohmann/json.hpp>

namespace atiende::llm::internal {
namespace {

using nlohmann::json;

/// SAX handler: follows the path top -> choices[] -> choice -> delta and stops (returns false) at
/// the first thing the fast path does not handle.
class PlainChunkReader {
 public:
  explicit PlainChunkReader(PlainChunk& out) : out_(out) {}

  bool null() { return scalar(); }
  bool boolean(bool) { return scalar(); }
  bool number_integer(json::number_integer_t) { return scalar(); }
  bool number_unsigned(json::number_unsigned_t) { return scalar(); }
  bool number_float(json::number_float_t, const json::string_t&) { return scalar(); }
  bool binary(json::binary_t&) { return false; }

  bool string(json::string_t& value) {
    if (!scalar()) return false;
    const Role parent = parent_role();
    if (parent == Role::kTop && key_ == "model") {
      out_.model = std::move(value);
    } else if (parent == Role::kDelta && key_ == "content") {
      out_.texts.push_back(std::move(value));
    } else if (parent == Role::kChoice && key_ == "finish_reason") {
      out_.finish_reasons.push_back(std::move(value));
    }
    return true;
  }

  bool start_object(std::size_t) {
    Role role = Role::kOther;
    if (depth_ == 0) {
      role = Role::kTop;
    } else if (parent_role() == Role::kChoices) {
      role = Role::kChoice;
    } else if (parent_role() == Role::kChoice && key_ == "delta") {
      role = Role::kDelta;
    } else if (parent_role() == Role::kTop && key_ == "choices") {
      return false;  // choices must be an array
    }
    return push(role);
  }

  bool key(json::string_t& name) {
    const Role parent = parent_role();
    if (parent == Role::kTop && (name == "error" || name == "usage")) return false;
    if (parent == Role::kDelta && name == "tool_calls") return false;
    key_ = name;
    return true;
  }

  bool end_object() { return pop(); }

  bool start_array(std::size_t) {
    if (depth_ == 0) return false;  // the chunk must be an object
    const Role parent = parent_role();
    if (parent == Role::kChoices) return false;  // a choice must be an object
    return push(parent == Role::kTop && key_ == "choices" ? Role::kChoices : Role::kOther);
  }

  bool end_array() { return pop(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  enum class Role { kTop, kChoices, kChoice, kDelta, kOther };
  static constexpr std::size_t kMaxDepth = 32;

  /// A scalar value: fine anywhere but as the chunk, as `choices` or as a choice.
  bool scalar() {
    if (depth_ == 0) return false;
    const Role parent = parent_role();
    if (parent == Role::kChoices) return false;
    if (parent == Role::kTop && key_ == "choices") return false;
    return true;
  }
  Role parent_role() const { return depth_ == 0 ? Role::kOther : stack_[depth_ - 1]; }
  bool push(Role role) {
    if (depth_ == kMaxDepth) return false;
    stack_[depth_++] = role;
    return true;
  }
  bool pop() {
    if (depth_ > 0) --depth_;
    key_.clear();
    return true;
  }

  PlainChunk& out_;
  std::array<Role, kMaxDepth> stack_{};
  std::size_t depth_ = 0;
  std::string key_;
};

}  // namespace

bool read_plain_chunk(std::string_view data, PlainChunk& out) {
  out.clear();
  PlainChunkReader reader(out);
  try {
    return json::sax_parse(data.begin(), data.end(), &reader, json::input_format_t::json,
                           /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace atiende::llm::internal
