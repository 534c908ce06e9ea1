#include "parley/alexa/request.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "parley/alexa/error.hpp"
#include "support/fixtures.hpp"

namespace parley::alexa {
namespace {

using testing::readFixture;

RequestEnvelope parseFixture(const std::string& name) {
  auto envelope = parseRequest(readFixture("alexa/" + name));
  EXPECT_TRUE(envelope) << name << ": " << envelope.error().message();
  return *envelope;
}

constexpr std::string_view kSkillId = "amzn1.ask.skill.8f3c2e71-6a4b-4c1d-b2e9-5d7a0c9f1e36";
constexpr std::string_view kLinkedUser =
    "amzn1.ask.account.AHV4QXR2KJ7YLMNB3WZP6TCEFGDS5UOI2XA7RJQK9LM4NB8VCW3ZYT";

TEST(LaunchLinkedFixture, ReadsCommonSessionAndContextFields) {
  auto envelope = parseFixture("launch-linked.json");
  EXPECT_EQ(envelope.version(), "1.0");
  EXPECT_EQ(envelope.type(), "LaunchRequest");
  EXPECT_EQ(envelope.kind(), RequestType::kLaunch);
  EXPECT_EQ(envelope.requestId(), "amzn1.echo-api.request.1d6e9b42-7c3a-4f58-a0e1-3b5c7d9f2a64");
  EXPECT_EQ(envelope.timestamp(), "2024-05-14T18:22:31Z");
  EXPECT_EQ(envelope.locale(), "en-US");
  EXPECT_TRUE(envelope.as<LaunchRequest>());
  EXPECT_FALSE(envelope.as<IntentRequest>());
  EXPECT_EQ(envelope.accessToken(), "tok-linked");
  EXPECT_EQ(envelope.userId(), kLinkedUser);
  EXPECT_EQ(envelope.applicationId(), kSkillId);

  auto session = envelope.session();
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->isNew());
  EXPECT_EQ(session->sessionId(), "amzn1.echo-api.session.5b0e8a31-2f6c-4d7e-9a14-8c3b2d1e0f97");
  EXPECT_EQ(session->applicationId(), kSkillId);
  EXPECT_TRUE(session->attributes().empty());
  ASSERT_TRUE(session->user());
  EXPECT_EQ(session->user()->accessToken(), "tok-linked");
}

}  // namespace
}  // namespace parley::alexa
