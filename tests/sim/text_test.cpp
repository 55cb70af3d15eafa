// Text from outside made safe to show (sim/text.h).
#include <doctest/doctest.h>

#include <string>

#include "sim/text.h"

using namespace chainsim::sim;

TEST_CASE("first_invalid_utf8 finds stray, overlong, surrogate and truncated sequences") {
  CHECK(first_invalid_utf8("plain ascii") == std::string::npos);
  CHECK(first_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa6") == std::string::npos);  // é € 📦
  CHECK(first_invalid_utf8("ab\xff") == 2);
  CHECK(first_invalid_utf8("\xc0\xaf") == 0);          // an overlong '/'
  CHECK(first_invalid_utf8("x\xed\xa0\x80") == 1);     // a UTF-16 surrogate
  CHECK(first_invalid_utf8("x\xf4\x90\x80\x80") == 1); // past U+10FFFF
  CHECK(first_invalid_utf8("x\xe2\x82") == 1);         // cut short
}

TEST_CASE("first_control finds C0, DEL, C1 and text-direction controls, except those allowed") {
  CHECK(first_control("a normal value") == std::string::npos);
  CHECK(first_control("a\x1b[2J") == 1);
  CHECK(first_control("a\nb") == 1);
  CHECK(first_control("a\nb", "\n") == std::string::npos);
  CHECK(first_control("ab\x7f") == 2);
  CHECK(first_control("a\xc2\x85") == 1);      // U+0085, next line
  CHECK(first_control("a\xe2\x80\xae") == 1);  // U+202E, right-to-left override
  CHECK(first_control("a\xe2\x81\xa6") == 1);  // U+2066, left-to-right isolate
  CHECK(first_control("caf\xc3\xa9") == std::string::npos);
}

TEST_CASE("printable makes one line that no terminal acts on") {
  CHECK(printable("plain") == "plain");
  CHECK(printable("a\nerror: forged") == "a\\nerror: forged");
  CHECK(printable("\x1b[2Jx\r\t") == "\\x1b[2Jx\\r\\t");
  CHECK(printable("bad \xff byte") == "bad \\xff byte");
  CHECK(printable("rlo\xe2\x80\xae") == "rlo\\u202e");
  CHECK(printable("caf\xc3\xa9") == "caf\xc3\xa9");
}

TEST_CASE("excerpt cuts at a whole character and marks the cut") {
  CHECK(excerpt("short", 40) == "short");
  CHECK(excerpt("abcdef", 3) == "abc...");
  CHECK(excerpt("\xc3\xa9\xc3\xa9\xc3\xa9", 2) == "\xc3\xa9\xc3\xa9...");
  CHECK(excerpt("a\xff" "bc", 2) == "a\xff...");
}
