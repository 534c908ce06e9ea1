#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "parley/views/catalog.hpp"
#include "parley/views/renderer.hpp"

namespace parley::views {
namespace {

Catalog catalogOf(std::initializer_list<std::pair<const char*, const char*>> locales) {
  Catalog catalog;
  for (const auto& [locale, json] : locales) catalog.addJson(locale, json);
  return catalog;
}

VariableLookup variables(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::string textAt(const Catalog& catalog, std::string_view locale, std::string_view path) {
  const auto* view = catalog.find(locale, path);
  return view != nullptr && view->is_string() ? std::string(view->get_string()) : "<missing>";
}

TEST(Catalog, FindsNestedViewsByDotPath) {
  const auto catalog = catalogOf({{"en-US", R"({"Launch": {"Linked": "hi", "Other": "x"}})"}});
  EXPECT_EQ(textAt(catalog, "en-US", "Launch.Linked"), "hi");
  EXPECT_EQ(catalog.find("en-US", "Launch.Missing"), nullptr);
  EXPECT_EQ(catalog.find("en-US", "Launch.Linked.Deeper"), nullptr);
  EXPECT_EQ(catalog.find("en-US", "Nope"), nullptr);
}

TEST(Catalog, MatchesLocalesCaseInsensitively) {
  const auto catalog = catalogOf({{"en-US", R"({"A": "us"})"}, {"en-GB", R"({"A": "gb"})"}});
  EXPECT_EQ(textAt(catalog, "en-us", "A"), "us");
  EXPECT_EQ(textAt(catalog, "EN-GB", "A"), "gb");
}

TEST(Catalog, FallsBackToTheLanguageThenToEnglish) {
  const auto catalog = catalogOf({{"en-US", R"({"A": "us", "B": "us-b"})"},
                                  {"de", R"({"A": "de"})"},
                                  {"de-DE", R"({"C": "de-c"})"}});
  EXPECT_EQ(textAt(catalog, "de-AT", "A"), "de");    // language
  EXPECT_EQ(textAt(catalog, "de-AT", "C"), "de-c");  // another locale of the language
  EXPECT_EQ(textAt(catalog, "de-DE", "B"), "us-b");  // fallback language en
  EXPECT_EQ(textAt(catalog, "fr-FR", "A"), "us");    // unknown language
  EXPECT_EQ(textAt(catalog, "en-us", "A"), "us");    // Voxa's default for events
}

TEST(Catalog, PrefersThePlatformVariantOfAView) {
  const auto catalog = catalogOf({{"en-US", R"({"A": {"alexa": "on alexa", "other": "no"}})"}});
  EXPECT_EQ(textAt(catalog, "en-US", "A"), "on alexa");
}

TEST(Catalog, AtNamesTheMissingViewAndLocale) {
  const auto catalog = catalogOf({{"en-US", R"({"A": "a"})"}});
  try {
    (void)catalog.at("en-GB", "Launch.Linked");
    FAIL() << "no error";
  } catch (const ViewError& error) {
    EXPECT_STREQ(error.what(), "View Launch.Linked for en-GB locale is missing");
  }
}

TEST(Catalog, RejectsMalformedJsonAndNonObjects) {
  Catalog catalog;
  EXPECT_THROW(catalog.addJson("en-US", "{\"A\": ", "en-US.json"), ViewError);
  EXPECT_THROW(catalog.addJson("en-US", "[1, 2]", "en-US.json"), ViewError);
  EXPECT_TRUE(catalog.empty());
}

TEST(Catalog, ValidateNamesTheFirstUnknownVariable) {
  const auto catalog = catalogOf(
      {{"en-US", R"({"Launch": {"Linked": {"ask": "Hi {user}", "reprompt": "{usr}?"}}})"}});
  const auto known = [](std::string_view name) { return name == "user"; };
  try {
    catalog.validate(known, {});
    FAIL() << "no error";
  } catch (const ViewError& error) {
    EXPECT_STREQ(error.what(), "en-US view Launch.Linked.reprompt: unknown variable {usr}");
  }
}

TEST(Catalog, ValidateFindsVariablesInListsCardsAndDirectives) {
  const auto catalog = catalogOf(
      {{"en-US",
        R"({"A": {"tell": ["ok", "ok {a}"], "card": {"type": "Simple", "title": "{b}"}}})"}});
  std::set<std::string> seen;
  catalog.validate([&](std::string_view name) { return seen.emplace(name).second || true; }, {});
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b"}));
}

TEST(Catalog, ValidateRequiresNamedViewsInEveryLocale) {
  const auto catalog =
      catalogOf({{"en-US", R"({"Help": "h", "Bye": "b"})"}, {"de-DE", R"({"Help": "hilfe"})"}});
  const auto any = [](std::string_view) { return true; };
  EXPECT_NO_THROW(catalog.validate(any, {"Help", "Bye"}));  // de-DE falls back to en-US
  try {
    catalog.validate(any, {"Help", "Launch.Linked"});
    FAIL() << "no error";
  } catch (const ViewError& error) {
    EXPECT_STREQ(error.what(), "View Launch.Linked for en-US locale is missing");
  }
}

TEST(Catalog, ValidateRejectsAnEmptyCatalog) {
  EXPECT_THROW(Catalog{}.validate([](std::string_view) { return true; }, {}), ViewError);
}

class CatalogDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("parley-views-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(CatalogDirectory, LoadsOneLocalePerJsonFile) {
  write("en-US.json", R"({"A": "us"})");
  write("de-DE.json", R"({"A": "de"})");
  write("README.md", "not a view");
  const auto catalog = Catalog::loadDirectory(dir_);
  EXPECT_EQ(catalog.locales(), (std::vector<std::string>{"de-DE", "en-US"}));
  EXPECT_EQ(textAt(catalog, "de-DE", "A"), "de");
}

TEST_F(CatalogDirectory, NamesTheMalformedFile) {
  write("en-US.json", R"({"A": )");
  try {
    (void)Catalog::loadDirectory(dir_);
    FAIL() << "no error";
  } catch (const ViewError& error) {
    EXPECT_NE(std::string(error.what()).find("en-US.json: malformed JSON"), std::string::npos);
  }
}

TEST_F(CatalogDirectory, RejectsADirectoryWithoutViewsOrMissing) {
  EXPECT_THROW((void)Catalog::loadDirectory(dir_), ViewError);
  EXPECT_THROW((void)Catalog::loadDirectory(dir_ / "missing"), ViewError);
}

TEST(RenderText, SubstitutesSsmlEscapedValues) {
  const auto lookup = variables({{"user", "Tom & \"Jerry\" <x>"}, {"n", "3"}});
  EXPECT_EQ(renderText("<s>Hi {user}</s>, {n}!", lookup),
            "<s>Hi Tom &amp; &quot;Jerry&quot; &lt;x&gt;</s>, 3!");
}

TEST(RenderText, LeavesBracesThatAreNotTokens) {
  const auto lookup = variables({{"a", "A"}});
  EXPECT_EQ(renderText("{} { a } {1x} {a", lookup), "{} { a } {1x} {a");
  EXPECT_EQ(renderText("{{a}}", lookup), "{A}");
  EXPECT_EQ(renderText("", lookup), "");
}

TEST(RenderText, UnknownVariableIsAnError) {
  try {
    (void)renderText("Hi {who}", variables({}));
    FAIL() << "no error";
  } catch (const ViewError& error) {
    EXPECT_STREQ(error.what(), "No such variable in views, who");
  }
}

TEST(ForEachVariable, ListsNamesInOrder) {
  std::vector<std::string> names;
  forEachVariable("{a} and {b.c} and {a}",
                  [&](std::string_view name) { names.emplace_back(name); });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b.c", "a"}));
}

TEST(Render, TextViewIsOneStatement) {
  core::SeededRandom random(1);
  const auto rendered =
      render(boost::json::parse(R"("Hello {x}")"), "A", variables({{"x", "X"}}), random);
  EXPECT_EQ(rendered.say, (std::vector<std::string>{"Hello X"}));
  EXPECT_FALSE(rendered.ask || rendered.tell || rendered.reprompt || rendered.card);
}

TEST(Render, ObjectViewHasEachReplyPart) {
  core::SeededRandom random(1);
  const auto view = boost::json::parse(R"({
    "say": "s", "ask": "a {x}", "tell": "t", "reprompt": "r",
    "card": {"type": "Simple", "title": "T {x}", "content": "C"},
    "directives": [{"type": "Hint", "hint": {"type": "PlainText", "text": "h {x}"}}],
    "Child": "ignored sub-view"})");
  const auto rendered = render(view, "A", variables({{"x", "X&"}}), random);
  EXPECT_EQ(rendered.say, (std::vector<std::string>{"s"}));
  EXPECT_EQ(rendered.ask, "a X&amp;");
  EXPECT_EQ(rendered.tell, "t");
  EXPECT_EQ(rendered.reprompt, "r");
  ASSERT_TRUE(rendered.card);
  EXPECT_EQ(rendered.card->at("title"), "T X&amp;");
  ASSERT_EQ(rendered.directives.size(), 1U);
  EXPECT_EQ(rendered.directives[0].at_pointer("/hint/text"), "h X&amp;");
}

TEST(Render, CardAndDirectivesAreAllocatedFromTheGivenStorage) {
  core::SeededRandom random(1);
  const auto view = boost::json::parse(R"({
    "card": {"type": "Simple", "title": "A title longer than a short string {x}"},
    "directives": [{"type": "Hint", "hint": {"type": "PlainText", "text": "h {x}"}}]})");
  const auto arena = boost::json::make_shared_resource<boost::json::monotonic_resource>();
  const auto rendered = render(view, "A", variables({{"x", "X"}}), random, arena);
  ASSERT_TRUE(rendered.card);
  EXPECT_EQ(rendered.card->storage().get(), arena.get());
  EXPECT_EQ(rendered.card->at("title").storage().get(), arena.get());
  EXPECT_EQ(rendered.card->at("title"), "A title longer than a short string X");
  EXPECT_EQ(rendered.directives.storage().get(), arena.get());
  EXPECT_EQ(rendered.directives[0].at_pointer("/hint/text").storage().get(), arena.get());
}

TEST(Render, ListPicksOneVariantReproduciblyFromTheSeed) {
  const auto view = boost::json::parse(R"({"tell": ["a", "b", "c", "d"]})");
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    core::SeededRandom first(seed);
    core::SeededRandom second(seed);
    const auto one = render(view, "A", variables({}), first).tell;
    EXPECT_EQ(one, render(view, "A", variables({}), second).tell);
    seen.insert(one.value_or(""));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b", "c", "d"}));
}

TEST(Render, RejectsViewsOfTheWrongShape) {
  core::SeededRandom random(1);
  const auto lookup = variables({});
  for (const auto* json : {"42", "null", "[]", "[1]", R"({"Child": "x"})", R"({"ask": 1})",
                           R"({"card": "LinkAccount"})", R"({"directives": {"type": "x"}})",
                           R"({"directives": ["x"]})"}) {
    EXPECT_THROW((void)render(boost::json::parse(json), "A", lookup, random), ViewError) << json;
  }
}

}  // namespace
}  // namespace parley::views
