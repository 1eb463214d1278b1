// HTML reader on gumbo: visible text of <body> with paragraph breaks at block elements.

#include <gumbo.h>

#include <string>

#include "common/strings.h"
#include "ingest/readers.h"

namespace atiende::ingest {
namespace {

bool is_skipped(GumboTag tag) {
  return tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
         tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_IFRAME ||
         tag == GUMBO_TAG_SVG;
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TR:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_DL: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR:
    case GUMBO_TAG_BODY: case GUMBO_TAG_FORM:
      return true;
    default:
      return false;
  }
}

class TextCollector {
 public:
  void text(std::string_view piece, bool preformatted) {
    for (char c : piece) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (space && !preformatted) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
      pending_space_ = false;
      out_ += c;
    }
  }
  void line_break() {
    pending_space_ = false;
    trim_trailing_spaces();
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  void paragraph_break() {
    pending_space_ = false;
    trim_trailing_spaces();
    if (out_.empty()) return;
    if (out_.back() != '\n') out_ += '\n';
    if (out_.size() < 2 || out_[out_.size() - 2] != '\n') out_ += '\n';
  }
  void cell_break() {
    if (!out_.empty() && out_.back() != '\n' && out_.back() != '\t') {
      pending_space_ = false;
      out_ += " | ";
    }
  }
  std::string take() {
    trim_trailing_spaces();
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return std::move(out_);
  }

 private:
  void trim_trailing_spaces() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  }
  std::string out_;
  bool pending_space_ = false;
};

void collect_text(const GumboNode* node, std::string& out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    collect_text(static_cast<const GumboNode*>(children.data[i]), out);
  }
}

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void walk(const GumboNode* node, TextCollector& out, std::string& title, std::string& first_h1,
          bool preformatted) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out.text(node->v.text.text, preformatted);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
  const GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_TITLE && title.empty()) {
    std::string raw;
    collect_text(node, raw);
    title = collapse(raw);
    return;
  }
  if (tag == GUMBO_TAG_HEAD) {
    // Only the title matters in <head>.
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_TITLE) {
        walk(child, out, title, first_h1, false);
      }
    }
    return;
  }
  if (is_skipped(tag)) return;
  if (tag == GUMBO_TAG_H1 && first_h1.empty()) {
    std::string raw;
    collect_text(node, raw);
    first_h1 = collapse(raw);
  }
  const bool block = is_block(tag);
  if (block) out.paragraph_break();
  if (tag == GUMBO_TAG_BR) out.line_break();
  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out.cell_break();
  if (tag == GUMBO_TAG_LI) out.text("- ", true);
  const bool pre = preformatted || tag == GUMBO_TAG_PRE;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    walk(static_cast<const GumboNode*>(children.data[i]), out, title, first_h1, pre);
  }
  if (block) out.paragraph_break();
}

}  // namespace

Result<std::vector<SourceRecord>> read_html(std::string_view bytes, const std::string& file_id,
                                            const std::string& source) {
  ATIENDE_RETURN_IF_ERROR(check_utf8(bytes, source));
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::invalid_argument(source + ": HTML file too large");
  }
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, bytes.data(), bytes.size());
  if (output == nullptr) return Status::invalid_argument(source + ": cannot parse HTML");
  TextCollector collector;
  std::string title;
  std::string first_h1;
  walk(output->root, collector, title, first_h1, false);
  gumbo_destroy_output(&kGumboDefaultOptions, output);

  SourceRecord record;
  record.id = file_id;
  record.source = source;
  record.line = 1;
  record.text = collector.take();
  record.title = !title.empty() ? title : first_h1;
  if (record.title.empty()) record.title = std::filesystem::path(file_id).stem().string();
  return std::vector<SourceRecord>{std::move(record)};
}

}  // namespace atiende::ingest
