// Text made safe for an XML 1.0 document, for the XML reporters (JUnit).
//
// Text that reaches a report comes from proposals and from untrusted guests
// (console logs, trial messages), so it may hold markup, "]]>", control
// characters and bytes that are not UTF-8. XmlText turns any byte string
// into character data that a conforming parser accepts unchanged:
//   - invalid UTF-8 (bad lead or continuation bytes, overlong forms,
//     encoded surrogates, code points above U+10FFFF, truncated sequences)
//     becomes U+FFFD, one per byte that does not start a valid sequence;
//   - characters XML 1.0 forbids (C0 controls other than tab, newline and
//     carriage return; U+FFFE and U+FFFF) are dropped;
//   - & < > " ' become entity references, so the result is safe both in
//     element content and in a double- or single-quoted attribute. "]]>"
//     needs no special case: its '>' is escaped.
// In an attribute, tab, newline and carriage return also become character
// references, because attribute-value normalization would otherwise turn
// them into spaces.
//
// Thread-safe: stateless functions.
#pragma once

#include <string>
#include <string_view>

namespace kgate {

enum class XmlContext { kContent, kAttribute };

// text as escaped XML character data for the given context.
std::string XmlText(std::string_view text, XmlContext context = XmlContext::kContent);

}  // namespace kgate
