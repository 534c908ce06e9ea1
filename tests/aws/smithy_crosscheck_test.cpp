// Our SigV4 signature on one DynamoDB request must equal the one from @smithy/signature-v4,
// the AWS JavaScript SDK's signer, given the same inputs and clock.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "aws/support/fake_http_client.hpp"
#include "aws/support/node_tools.hpp"
#include "parley/aws/dynamodb.hpp"

namespace parley::aws {
namespace {

using namespace std::chrono_literals;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void expectSmithyAgrees(const Credentials& credentials, std::chrono::system_clock::time_point now) {
  testing::FakeHttpClient http;
  StaticCredentialsProvider provider(credentials);
  core::ManualClock clock(now);
  core::SeededRandom random(1);
  DynamoDbClient client({.region = "eu-central-1"}, http, provider, clock, random, {});
  std::string body =
      R"({"TableName":"parley-users","Key":{"id":{"S":"u-ü 1"}},"ConsistentRead":true})";
  net::Request request = client.buildRequest("GetItem", body, credentials, now);

  boost::json::object unsigned_headers;
  std::map<std::string, std::string> ours;
  for (const auto& [name, value] : request.headers) {
    ours[lower(name)] = value;
    if (name == "Host" || name == "Content-Type" || name == "X-Amz-Target") {
      unsigned_headers[lower(name)] = value;
    }
  }
  boost::json::object input{
      {"method", "POST"},
      {"hostname", "dynamodb.eu-central-1.amazonaws.com"},
      {"path", "/"},
      {"headers", unsigned_headers},
      {"body", body},
      {"region", "eu-central-1"},
      {"service", "dynamodb"},
      {"time", amzDate(now).substr(0, 4) + "-" + amzDate(now).substr(4, 2) + "-" +
                   amzDate(now).substr(6, 2) + "T" + amzDate(now).substr(9, 2) + ":" +
                   amzDate(now).substr(11, 2) + ":" + amzDate(now).substr(13, 2) + "Z"},
      {"credentials",
       {{"accessKeyId", credentials.access_key_id},
        {"secretAccessKey", credentials.secret_access_key}}}};
  if (!credentials.session_token.empty()) {
    input["credentials"].as_object()["sessionToken"] = credentials.session_token;
  }
  auto file = std::filesystem::temp_directory_path() /
              ("parley-smithy-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << boost::json::serialize(input);
  std::string output = testing::runNode("smithy-sign.js", {file.string()});
  std::filesystem::remove(file);

  auto theirs = boost::json::parse(output).as_object();
  std::map<std::string, std::string> smithy;
  for (const auto& [name, value] : theirs) smithy[lower(name)] = std::string(value.as_string());
  EXPECT_EQ(ours.at("authorization"), smithy.at("authorization"));
  EXPECT_EQ(ours.at("x-amz-date"), smithy.at("x-amz-date"));
  if (!credentials.session_token.empty()) {
    EXPECT_EQ(ours.at("x-amz-security-token"), smithy.at("x-amz-security-token"));
  } else {
    EXPECT_EQ(ours.count("x-amz-security-token"), 0u);
    EXPECT_EQ(smithy.count("x-amz-security-token"), 0u);
  }
}

TEST(SmithyCrossCheck, DynamoDbRequestWithSessionTokenSignsIdentically) {
  expectSmithyAgrees({.access_key_id = "ASIAEXAMPLE",
                      .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                      .session_token = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="},
                     std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h + 34min + 56s);
}

TEST(SmithyCrossCheck, DynamoDbRequestWithLongTermKeysSignsIdentically) {
  expectSmithyAgrees({.access_key_id = "AKIDEXAMPLE", .secret_access_key = "s3cr3t"},
                     std::chrono::sys_days{std::chrono::year{2025} / 1 / 31} + 23h + 59min + 59s);
}

}  // namespace
}  // namespace parley::aws
