// skill-package/ (ASK CLI skill package format) against the skill, its views and the linking
// server: the events the skill handles are subscribed (spec R81), every locale has a model and
// views, and account linking points at the server's routes and config client.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "support/fixtures.hpp"

namespace parley::app {
namespace {

using parley::testing::readFile;
using parley::testing::sourceDir;

boost::json::value readJson(const std::filesystem::path& relative) {
  return boost::json::parse(readFile(sourceDir() / relative));
}

// The locales with a <locale>.json in `directory`.
std::set<std::string> localesIn(const std::filesystem::path& relative) {
  std::set<std::string> locales;
  for (const auto& entry : std::filesystem::directory_iterator(sourceDir() / relative)) {
    if (entry.path().extension() == ".json") locales.insert(entry.path().stem().string());
  }
  return locales;
}

TEST(SkillPackage, ManifestSubscribesToTheEventsThatLinkAndUnlink) {
  const auto manifest = readJson("skill-package/skill.json").at("manifest");
  std::set<std::string> subscribed;
  for (const auto& subscription : manifest.at("events").at("subscriptions").as_array()) {
    subscribed.emplace(subscription.at("eventName").as_string());
  }
  EXPECT_EQ(subscribed,
            (std::set<std::string>{"SKILL_ENABLED", "SKILL_ACCOUNT_LINKED", "SKILL_DISABLED"}));
  // One function answers both the skill and its events.
  EXPECT_EQ(manifest.at("events").at("endpoint"), manifest.at("apis").at("custom").at("endpoint"));
  // The events need no permission, and the skill reads no Alexa customer data.
  EXPECT_FALSE(manifest.as_object().contains("permissions"));
}

TEST(SkillPackage, LocalesMatchTheInteractionModelsAndTheViews) {
  const auto manifest = readJson("skill-package/skill.json").at("manifest");
  std::set<std::string> published;
  for (const auto& [locale, info] :
       manifest.at("publishingInformation").at("locales").as_object()) {
    published.emplace(locale);
    const auto model =
        readJson("skill-package/interactionModels/custom/" + std::string(locale) + ".json");
    const std::string invocation{
        model.at("interactionModel").at("languageModel").at("invocationName").as_string()};
    for (const auto& phrase : info.at("examplePhrases").as_array()) {
      EXPECT_NE(std::string_view(phrase.as_string()).find(invocation), std::string_view::npos)
          << phrase;
    }
  }
  EXPECT_EQ(published, localesIn("skill-package/interactionModels/custom"));
  EXPECT_EQ(published, localesIn("app/views"));
}

// R79: every feature of the sample needs the account, so enabling the skill asks to link.
TEST(SkillPackage, AccountLinkingUsesTheServersRoutesAndConfigClient) {
  const auto linking = readJson("skill-package/accountLinking.json").at("accountLinkingRequest");
  EXPECT_EQ(linking.at("type"), "AUTH_CODE");
  EXPECT_EQ(linking.at("accessTokenScheme"), "HTTP_BASIC");
  EXPECT_EQ(linking.at("skipOnEnablement"), false);
  const std::string authorize{linking.at("authorizationUrl").as_string()};
  const std::string token{linking.at("accessTokenUrl").as_string()};
  EXPECT_TRUE(authorize.starts_with("https://") && authorize.ends_with("/authorize")) << authorize;
  EXPECT_TRUE(token.starts_with("https://") && token.ends_with("/oauth/token")) << token;
  EXPECT_EQ(authorize.substr(0, authorize.size() - 10), token.substr(0, token.size() - 12));
  EXPECT_FALSE(linking.as_object().contains("clientSecret"));  // never in the repository
  const auto production = readJson("config/production.json");
  EXPECT_EQ(linking.at("clientId"), production.at("linking").at("clients").at(0).at("id"));
}

}  // namespace
}  // namespace parley::app
