#include "util/html_text.h"

#include "util/utf8.h"

namespace driftd {

void append_html_text(std::string& out, std::string_view text) {
  while (!text.empty()) {
    const Utf8Step step = utf8_step(text);
    const auto first = static_cast<unsigned char>(text[0]);
    // C1 controls are U+0080..U+009F: 0xC2 followed by 0x80..0x9F.
    const bool c1 = step.valid && step.length == 2 && first == 0xC2 && static_cast<unsigned char>(text[1]) < 0xA0;
    const bool c0 = first < 0x20 && first != '\t' && first != '\n';
    if (!step.valid || c0 || c1 || first == 0x7F) {
      out.append(kReplacementCharacter);
    } else {
      switch (text[0]) {
        case '&': out.append("&amp;"); break;
        case '<': out.append("&lt;"); break;
        case '>': out.append("&gt;"); break;
        case '"': out.append("&quot;"); break;
        case '\'': out.append("&#39;"); break;
        default: out.append(text.substr(0, step.length));
      }
    }
    text.remove_prefix(step.length);
  }
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_text(out, text);
  return out;
}

}  // namespace driftd
