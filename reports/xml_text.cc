#include "reports/xml_text.h"

namespace kgate {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence starting at text[i], storing its
// code point in *cp; 0 when text[i] does not start one.
std::size_t DecodeOne(std::string_view text, std::size_t i, char32_t* cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  }
  std::size_t n;
  char32_t min;
  if ((lead & 0xE0) == 0xC0) {
    n = 2, *cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    n = 3, *cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    n = 4, *cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3F);
  }
  bool surrogate = *cp >= 0xD800 && *cp <= 0xDFFF;
  if (*cp < min || *cp > 0x10FFFF || surrogate) return 0;
  return n;
}

// XML 1.0 production [2] Char.
bool IsXmlChar(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void AppendEscaped(char ch, XmlContext context, std::string* out) {
  switch (ch) {
    case '&': *out += "&amp;"; return;
    case '<': *out += "&lt;"; return;
    case '>': *out += "&gt;"; return;
    case '"': *out += "&quot;"; return;
    case '\'': *out += "&apos;"; return;
    default: break;
  }
  if (context == XmlContext::kAttribute) {
    switch (ch) {
      case '\t': *out += "&#9;"; return;
      case '\n': *out += "&#10;"; return;
      case '\r': *out += "&#13;"; return;
      default: break;
    }
  }
  *out += ch;
}

}  // namespace

std::string XmlText(std::string_view text, XmlContext context) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t n = DecodeOne(text, i, &cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (IsXmlChar(cp)) {
      if (n == 1) {
        AppendEscaped(text[i], context, &out);
      } else {
        out += text.substr(i, n);
      }
    }
    i += n;
  }
  return out;
}

}  // namespace kgate
