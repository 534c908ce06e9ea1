#include "parley/alexa/ssml.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "parley/alexa/error.hpp"

namespace parley::alexa {
namespace {

class AcceptedSsml : public ::testing::TestWithParam<std::string_view> {};

TEST_P(AcceptedSsml, IsValid) {
  auto result = validateSsml(GetParam());
  EXPECT_TRUE(result) << GetParam() << ": " << result.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Alexa, AcceptedSsml,
    ::testing::Values(
        "<speak>Hello</speak>", "<speak></speak>", "<speak/>", "  <speak>padded</speak>\n",
        "<speak>Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &apos;a&apos; &#169; &#xA9;</speak>",
        "<speak>a > b is fine in text</speak>",
        "<speak>caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80</speak>",
        "<speak><p>One.</p><p><s>Two</s><s>three</s></p></speak>",
        "<speak>Wait<break/>now<break strength=\"x-strong\"/><break time=\"3s\"/>"
        "<break time='250ms'></break><break time=\"1.5s\" /></speak>",
        "<speak><break time=\"10s\"/></speak>",
        "<speak><emphasis level=\"strong\">really</emphasis><emphasis>plain</emphasis></speak>",
        "<speak><prosody rate=\"x-slow\" pitch=\"+10%\" volume=\"-6dB\">slow</prosody>"
        "<prosody rate=\"150%\" pitch=\"x-high\" volume=\"loud\">fast</prosody></speak>",
        "<speak><say-as interpret-as=\"spell-out\">abc</say-as>"
        "<say-as interpret-as=\"date\" format=\"mdy\">12/25/2024</say-as>"
        "<say-as interpret-as=\"interjection\">bazinga</say-as></speak>",
        "<speak><phoneme alphabet=\"ipa\" ph=\"p&#x259;&#x2C8;ka&#x2D0;n\">pecan</phoneme>"
        "<phoneme ph=\"pI&quot;kA:n\">pecan</phoneme></speak>",
        "<speak><sub alias=\"aluminium\">Al</sub><w role=\"amazon:VBD\">read</w></speak>",
        "<speak><audio src=\"https://example.com/a.mp3\"/>"
        "<audio "
        "src=\"soundbank://soundlibrary/animals/amzn_sfx_dog_med_bark_1x_01\"></audio></speak>",
        "<speak><amazon:effect name=\"whispered\">secret</amazon:effect>"
        "<amazon:emotion name=\"excited\" intensity=\"high\">yay</amazon:emotion>"
        "<amazon:domain name=\"news\">headline</amazon:domain></speak>",
        "<speak><voice name=\"Joanna\">hi</voice><lang xml:lang=\"fr-FR\">bonjour</lang></speak>",
        "<speak>\n  <p>multi\r\n line\t</p>\n</speak>",
        "<speak><p><s><emphasis><prosody rate=\"slow\">deep</prosody></emphasis></s></p></speak>"));

struct Rejected {
  std::string_view ssml;
  Error error;
};

class RejectedSsml : public ::testing::TestWithParam<Rejected> {};

TEST_P(RejectedSsml, GivesTheExpectedError) {
  auto result = validateSsml(GetParam().ssml);
  ASSERT_FALSE(result) << GetParam().ssml;
  EXPECT_EQ(result.error(), GetParam().error)
      << GetParam().ssml << ": " << result.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Alexa, RejectedSsml,
    ::testing::Values(
        // Not well-formed.
        Rejected{"<speak>", Error::kSsmlMalformed},
        Rejected{"<speak>unclosed <p>para</speak>", Error::kSsmlMalformed},
        Rejected{"<speak><p><s>crossed</p></s></speak>", Error::kSsmlMalformed},
        Rejected{"<speak>Tom & Jerry</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>a < b</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>&nbsp;</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>&#0;</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>&#xD800;</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>&#x;</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>&amp</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>bell \x07</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>bad \xc3\x28 utf8</speak>", Error::kSsmlMalformed},
        Rejected{"<speak>overlong \xc0\xaf</speak>", Error::kSsmlMalformed},
        Rejected{"<speak><break time=3s/></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><break time=\"3s/></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><break time=\"1s\"time=\"2s\"/></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><break time=\"1s\" time=\"2s\"/></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><sub alias=\"a<b\">x</sub></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><break>content</break></speak>", Error::kSsmlMalformed},
        Rejected{"<speak><audio src=\"https://a.b/c.mp3\"><p>x</p></audio></speak>",
                 Error::kSsmlMalformed},
        Rejected{"<speak><!-- comment --></speak>", Error::kSsmlMalformed},
        Rejected{"<?xml version=\"1.0\"?><speak>x</speak>", Error::kSsmlMalformed},
        Rejected{"<speak><![CDATA[x]]></speak>", Error::kSsmlMalformed},
        Rejected{"<speak>< p>x</p></speak>", Error::kSsmlMalformed},
        Rejected{"<speak>x</ speak>", Error::kSsmlMalformed},
        Rejected{"<speak>x</speak", Error::kSsmlMalformed},
        Rejected{"<speak>x<", Error::kSsmlMalformed},
        // Root.
        Rejected{"", Error::kSsmlNotSpeakRoot}, Rejected{"   ", Error::kSsmlNotSpeakRoot},
        Rejected{"Hello there", Error::kSsmlNotSpeakRoot},
        Rejected{"Hello <speak>x</speak>", Error::kSsmlNotSpeakRoot},
        Rejected{"<p>x</p>", Error::kSsmlNotSpeakRoot},
        Rejected{"<speak>a</speak><speak>b</speak>", Error::kSsmlNotSpeakRoot},
        Rejected{"<speak>a</speak>trailing", Error::kSsmlNotSpeakRoot},
        Rejected{"<speak><speak>nested</speak></speak>", Error::kSsmlNotSpeakRoot},
        Rejected{"<SPEAK>x</SPEAK>", Error::kSsmlNotSpeakRoot},
        // Tags outside the supported set.
        Rejected{"<speak><b>bold</b></speak>", Error::kSsmlUnsupportedTag},
        Rejected{"<speak><script>x</script></speak>", Error::kSsmlUnsupportedTag},
        Rejected{"<speak><amazon:whisper>x</amazon:whisper></speak>", Error::kSsmlUnsupportedTag},
        Rejected{"<speak><P>x</P></speak>", Error::kSsmlUnsupportedTag},
        // Attributes or values outside the supported set.
        Rejected{"<speak lang=\"en\">x</speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><p class=\"x\">x</p></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><break strength=\"huge\"/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><break time=\"3\"/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><break time=\"3 s\"/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><break time=\"-3s\"/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><break time=\"1.s\"/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><emphasis level=\"loud\">x</emphasis></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><prosody rate=\"+10%\">x</prosody></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><prosody pitch=\"10%\">x</prosody></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><prosody volume=\"+6db\">x</prosody></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><say-as>x</say-as></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><say-as interpret-as=\"money\">x</say-as></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><say-as interpret-as=\"cardinal\" format=\"mdy\">1</say-as></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><say-as interpret-as=\"date\" format=\"yyyy\">1</say-as></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><phoneme alphabet=\"ipa\">x</phoneme></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><phoneme alphabet=\"arpabet\" ph=\"x\">x</phoneme></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><sub>x</sub></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><w role=\"amazon:ADJ\">x</w></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><audio src=\"http://example.com/a.mp3\"/></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><audio/></speak>", Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><amazon:effect name=\"shout\">x</amazon:effect></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><amazon:emotion name=\"excited\">x</amazon:emotion></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><amazon:domain name=\"sports\">x</amazon:domain></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><voice name=\"Jo anna\">x</voice></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><lang xml:lang=\"french\">x</lang></speak>",
                 Error::kSsmlUnsupportedAttribute},
        Rejected{"<speak><lang lang=\"fr-FR\">x</lang></speak>", Error::kSsmlUnsupportedAttribute},
        // Limits.
        Rejected{"<speak><break time=\"11s\"/></speak>", Error::kSsmlLimitExceeded},
        Rejected{"<speak><break time=\"10001ms\"/></speak>", Error::kSsmlLimitExceeded},
        Rejected{"<speak><audio src=\"https://a.b/1.mp3\"/><audio src=\"https://a.b/2.mp3\"/>"
                 "<audio src=\"https://a.b/3.mp3\"/><audio src=\"https://a.b/4.mp3\"/>"
                 "<audio src=\"https://a.b/5.mp3\"/><audio src=\"https://a.b/6.mp3\"/></speak>",
                 Error::kSsmlLimitExceeded}));

TEST(ValidateSsml, LimitsComeFromOptions) {
  constexpr std::string_view kLongBreak = "<speak><break time=\"20s\"/></speak>";
  EXPECT_EQ(validateSsml(kLongBreak).error(), Error::kSsmlLimitExceeded);
  EXPECT_TRUE(
      validateSsml(kLongBreak, {.max_break = std::chrono::seconds(30), .max_audio_clips = 5}));
  constexpr std::string_view kTwoClips =
      "<speak><audio src=\"https://a.b/1.mp3\"/><audio src=\"https://a.b/2.mp3\"/></speak>";
  EXPECT_EQ(validateSsml(kTwoClips, {.max_break = std::chrono::seconds(10), .max_audio_clips = 1})
                .error(),
            Error::kSsmlLimitExceeded);
}

// Text is checked eight bytes at a time: a bad byte is found at every offset of a word, and the
// bytes at the edges of the printable range are kept.
TEST(ValidateSsml, FindsABadByteAtEveryPositionOfLongText) {
  const std::string text = "The quick brown fox jumps over the lazy dog ~ 0123456789 again";
  ASSERT_TRUE(validateSsml("<speak>" + text + " \x7f</speak>"));
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (const char* bad : {"\x01", "\x1f", "\xff", "\xc3"}) {
      auto broken = text;
      broken.replace(at, 1, bad);
      EXPECT_EQ(validateSsml("<speak>" + broken + "</speak>").error(), Error::kSsmlMalformed)
          << "byte " << static_cast<int>(static_cast<unsigned char>(*bad)) << " at " << at;
    }
    auto accented = text;
    accented.replace(at, 1, "\xc3\xa9");  // é, two bytes of valid UTF-8
    EXPECT_TRUE(validateSsml("<speak>" + accented + "</speak>")) << at;
    auto amp = text;
    amp.replace(at, 1, "&");  // a bare ampersand is no reference
    EXPECT_EQ(validateSsml("<speak>" + amp + "</speak>").error(), Error::kSsmlMalformed) << at;
    auto reference = text;
    reference.replace(at, 1, "&amp;");
    EXPECT_TRUE(validateSsml("<speak>" + reference + "</speak>")) << at;
  }
}

TEST(ValidateSsml, HandlesVeryDeepNestingWithoutRecursion) {
  const std::size_t depth = 100'000;
  std::string deep = "<speak>";
  for (std::size_t i = 0; i < depth; ++i) deep += "<p>";
  deep += "x";
  for (std::size_t i = 0; i < depth; ++i) deep += "</p>";
  deep += "</speak>";
  EXPECT_TRUE(validateSsml(deep));
  deep.erase(deep.size() - 12, 4);  // drop one </p>
  EXPECT_EQ(validateSsml(deep).error(), Error::kSsmlMalformed);
}

TEST(EscapeSsmlText, EscapesTheFiveXmlCharacters) {
  EXPECT_EQ(escapeSsmlText(R"(Tom & "Jerry" <tj@example.com> 'x')"),
            "Tom &amp; &quot;Jerry&quot; &lt;tj@example.com&gt; &apos;x&apos;");
  EXPECT_EQ(escapeSsmlText("&amp;"), "&amp;amp;");
  EXPECT_EQ(escapeSsmlText("plain text"), "plain text");
  EXPECT_EQ(escapeSsmlText(""), "");
}

TEST(EscapeSsmlText, KeepsUtf8AndReplacesWhatXmlCannotHold) {
  EXPECT_EQ(escapeSsmlText("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(escapeSsmlText("a\x01"
                           "b\tc\n"),
            "a b\tc\n");
  EXPECT_EQ(escapeSsmlText(std::string_view("nul\0!", 5)), "nul !");
  EXPECT_EQ(escapeSsmlText("bad \xc3\x28"), "bad \xef\xbf\xbd(");
  EXPECT_EQ(escapeSsmlText("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(escapeSsmlText("\xef\xbf\xbe"), "\xef\xbf\xbd");  // U+FFFE is not an XML char
}

TEST(EscapeSsmlText, MakesAnyBytesSafeInTextAndAttributes) {
  std::mt19937 random(20240514);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  for (int round = 0; round < 5000; ++round) {
    std::string text(static_cast<std::size_t>(length(random)), '\0');
    for (auto& c : text) c = static_cast<char>(byte(random));
    const auto escaped = escapeSsmlText(text);
    auto as_text = validateSsml("<speak>" + escaped + "</speak>");
    ASSERT_TRUE(as_text) << "round " << round << ": " << as_text.error().message();
    auto as_attribute = validateSsml("<speak><sub alias=\"x" + escaped + "\">y</sub></speak>");
    ASSERT_TRUE(as_attribute) << "round " << round << ": " << as_attribute.error().message();
  }
}

TEST(ValidateSsml, SurvivesRandomMutationsOfValidDocuments) {
  const std::string seeds[] = {
      "<speak><p>Hi <emphasis level=\"strong\">there</emphasis>.</p><break time=\"1s\"/>"
      "<say-as interpret-as=\"date\" format=\"mdy\">1/2/2024</say-as> &amp; more</speak>",
      "<speak><audio src=\"https://a.b/c.mp3\"/><prosody rate=\"90%\">x</prosody></speak>"};
  const std::string alphabet = "<>/=\"'&;#x speakbr:-\x80\xc3";
  std::mt19937 random(7);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string doc = seeds[round % 2];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = random() % (doc.size() + 1);
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          doc.insert(pos, 1, c);
          break;
        case 1:
          if (pos < doc.size()) doc.erase(pos, 1);
          break;
        default:
          if (pos < doc.size()) doc[pos] = c;
      }
    }
    if (validateSsml(doc)) ++accepted;
  }
  // Some edits land in text and stay valid; most break the markup. Both must be handled.
  EXPECT_GT(accepted, 0u);
  EXPECT_LT(accepted, 20000u);
}

}  // namespace
}  // namespace parley::alexa
