#include "http/sse.h"

namespace atiende::http {
namespace {

std::string single_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string sse_event(std::string_view event, std::string_view data, std::string_view id) {
  std::string out;
  out.reserve(data.size() + event.size() + 32);
  if (!event.empty()) out += "event: " + single_line(event) + "\n";
  if (!id.empty()) out += "id: " + single_line(id) + "\n";
  size_t start = 0;
  while (true) {
    size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out += '\n';
  return out;
}

std::string sse_comment(std::string_view text) { return ": " + single_line(text) + "\n\n"; }

}  // namespace atiende::http
