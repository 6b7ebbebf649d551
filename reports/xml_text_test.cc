#include "reports/xml_text.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("XmlText escapes markup and the CDATA terminator", "[reports]") {
  CHECK(XmlText("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(XmlText("a]]>b") == "a]]&gt;b");
}

TEST_CASE("XmlText keeps whitespace in content and encodes it in attributes", "[reports]") {
  CHECK(XmlText("a\tb\nc\rd") == "a\tb\nc\rd");
  CHECK(XmlText("a\tb\nc\rd", XmlContext::kAttribute) == "a&#9;b&#10;c&#13;d");
}

TEST_CASE("XmlText drops characters XML 1.0 forbids", "[reports]") {
  CHECK(XmlText(std::string("a\x00" "b\x01\x1b[0mc\x7f", 10)) == "ab[0mc\x7f");
  CHECK(XmlText("x\xEF\xBF\xBEy\xEF\xBF\xBFz") == "xyz");  // U+FFFE, U+FFFF
}

TEST_CASE("XmlText keeps valid UTF-8 and replaces invalid bytes with U+FFFD", "[reports]") {
  std::string valid = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é € 😀
  CHECK(XmlText(valid) == valid);
  CHECK(XmlText("a\xFF" "b") == "a" + kFffd + "b");
  CHECK(XmlText("\xC0\xAF") == kFffd + kFffd);                  // overlong '/'
  CHECK(XmlText("\xED\xA0\x80") == kFffd + kFffd + kFffd);      // surrogate U+D800
  CHECK(XmlText("\xF4\x90\x80\x80") == kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  CHECK(XmlText("end\xE2\x82") == "end" + kFffd + kFffd);       // truncated
  CHECK(XmlText("\xE2<") == kFffd + "&lt;");  // a lead byte does not swallow markup
}

}  // namespace
}  // namespace kgate
