#include "parley/aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "support/fixtures.hpp"

namespace parley::aws {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

fs::path vectorsDir() { return testing::sourceDir() / "tests" / "fixtures" / "sigv4"; }

// "v4/get-vanilla", "parley/dynamodb-getitem-session-token", …: every case folder on disk.
std::vector<std::string> allCases() {
  std::vector<std::string> names;
  for (const char* suite : {"v4", "parley"}) {
    for (const auto& entry : fs::directory_iterator(vectorsDir() / suite)) {
      if (entry.is_directory())
        names.push_back(std::string(suite) + "/" + entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A request as the suite writes it: request line, headers (a line starting with blanks
// continues the previous value, joined by one space), blank line, body.
struct HttpText {
  std::string method;
  std::string target;
  std::vector<Header> headers;
  std::string body;
};

HttpText parseHttp(const std::string& text) {
  HttpText out;
  std::size_t line_end = text.find('\n');
  std::string request_line = text.substr(0, line_end);
  out.method = request_line.substr(0, request_line.find(' '));
  std::size_t version = request_line.rfind(' ');
  out.target = request_line.substr(out.method.size() + 1, version - out.method.size() - 1);
  std::size_t pos = line_end == std::string::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      out.body = pos < text.size() ? text.substr(pos) : "";
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      auto& value = out.headers.back().second;  // a folded header line continues the value
      value += ' ';
      value.append(line, line.find_first_not_of(" \t"));
      continue;
    }
    std::size_t colon = line.find(':');
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return out;
}

system_clock::time_point parseTimestamp(std::string_view iso) {  // "2015-08-30T12:36:00Z"
  auto number = [&](std::size_t at, std::size_t length) {
    return std::stoi(std::string(iso.substr(at, length)));
  };
  std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                   std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                   std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  return std::chrono::sys_days{date} + std::chrono::hours{number(11, 2)} +
         std::chrono::minutes{number(14, 2)} + std::chrono::seconds{number(17, 2)};
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::vector<Header> normalizedHeaders(const std::vector<Header>& headers) {
  std::vector<Header> out;
  for (const auto& [name, value] : headers) out.emplace_back(lower(name), value);
  std::sort(out.begin(), out.end());
  return out;
}

std::string readCase(const std::string& name, const std::string& file) {
  return testing::readFile(vectorsDir() / name / file);
}

class SigV4Vector : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Vector, MatchesEveryStep) {
  const std::string& name = GetParam();
  auto context = boost::json::parse(readCase(name, "context.json")).as_object();
  const auto& creds = context.at("credentials").as_object();
  Credentials credentials{
      .access_key_id = std::string(creds.at("access_key_id").as_string()),
      .secret_access_key = std::string(creds.at("secret_access_key").as_string())};
  if (const auto* token = creds.if_contains("token")) {
    credentials.session_token = std::string(token->as_string());
  }
  const auto* omit = context.if_contains("omit_session_token");
  SigningOptions options{.region = context.at("region").as_string(),
                         .service = context.at("service").as_string(),
                         .normalize_path = context.at("normalize").as_bool(),
                         .sign_body_hash = context.at("sign_body").as_bool(),
                         .sign_session_token = !(omit && omit->as_bool())};
  HttpText unsigned_request = parseHttp(readCase(name, "request.txt"));
  std::string_view target = unsigned_request.target;
  std::size_t question = target.find('?');
  SigningRequest request{.method = unsigned_request.method,
                         .path = target.substr(0, question),
                         .query = question == std::string_view::npos ? std::string_view{}
                                                                     : target.substr(question + 1),
                         .headers = unsigned_request.headers,
                         .body = unsigned_request.body};

  SignedRequest signed_request =
      signV4(request, credentials, options, parseTimestamp(context.at("timestamp").as_string()));

  EXPECT_EQ(signed_request.canonical_request, readCase(name, "header-canonical-request.txt"));
  EXPECT_EQ(signed_request.string_to_sign, readCase(name, "header-string-to-sign.txt"));
  EXPECT_EQ(signed_request.signature, readCase(name, "header-signature.txt"));

  HttpText expected = parseHttp(readCase(name, "header-signed-request.txt"));
  EXPECT_EQ(expected.method, unsigned_request.method);
  EXPECT_EQ(expected.target, unsigned_request.target);
  EXPECT_EQ(expected.body, unsigned_request.body);
  std::vector<Header> on_the_wire = unsigned_request.headers;
  on_the_wire.insert(on_the_wire.end(), signed_request.headers.begin(),
                     signed_request.headers.end());
  EXPECT_EQ(normalizedHeaders(on_the_wire), normalizedHeaders(expected.headers));
}

std::string caseId(const ::testing::TestParamInfo<std::string>& param_info) {
  std::string id = param_info.param;
  std::replace_if(
      id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; },
      '_');
  return id;
}

INSTANTIATE_TEST_SUITE_P(AllFixtures, SigV4Vector, ::testing::ValuesIn(allCases()), caseId);

TEST(SigV4Vectors, AllThirtyNineCasesAreOnDisk) {
  // AWS's 38 header-signing cases plus Parley's DynamoDB one; a lost folder must not pass silently.
  EXPECT_EQ(allCases().size(), 39u);
}

TEST(AmzDate, FormatsUtcInBasicIso8601) {
  EXPECT_EQ(amzDate(parseTimestamp("2015-08-30T12:36:00Z")), "20150830T123600Z");
  EXPECT_EQ(amzDate(parseTimestamp("2026-01-02T03:04:05Z") + std::chrono::milliseconds(999)),
            "20260102T030405Z");
}

TEST(SigV4, SignsTheSessionTokenAndSendsItUnlessAskedNotTo) {
  std::vector<Header> headers{{"Host", "dynamodb.eu-west-1.amazonaws.com"}};
  SigningRequest request{.headers = headers, .body = "{}"};
  Credentials credentials{
      .access_key_id = "AKID", .secret_access_key = "secret", .session_token = "tok"};
  SigningOptions options{.region = "eu-west-1", .service = "dynamodb"};
  auto now = parseTimestamp("2026-01-02T03:04:05Z");
  SignedRequest signed_request = signV4(request, credentials, options, now);
  EXPECT_NE(signed_request.canonical_request.find("x-amz-security-token:tok\n"), std::string::npos);
  auto token = std::find_if(signed_request.headers.begin(), signed_request.headers.end(),
                            [](const Header& h) { return h.first == "X-Amz-Security-Token"; });
  ASSERT_NE(token, signed_request.headers.end());
  EXPECT_EQ(token->second, "tok");
  EXPECT_NE(signed_request.headers.back().second.find("/20260102/eu-west-1/dynamodb/aws4_request"),
            std::string::npos);

  options.sign_session_token = false;
  SignedRequest unsigned_token = signV4(request, credentials, options, now);
  EXPECT_EQ(unsigned_token.canonical_request.find("x-amz-security-token"), std::string::npos);
  EXPECT_NE(unsigned_token.signature, signed_request.signature);
}

TEST(SigV4, DifferentSecretDifferentSignatureAndSecretNeverAppears) {
  std::vector<Header> headers{{"Host", "h"}};
  SigningRequest request{.headers = headers};
  SigningOptions options{.region = "us-east-1", .service = "dynamodb"};
  auto now = parseTimestamp("2026-01-02T03:04:05Z");
  auto a = signV4(request, {.access_key_id = "A", .secret_access_key = "topsecret1"}, options, now);
  auto b = signV4(request, {.access_key_id = "A", .secret_access_key = "topsecret2"}, options, now);
  EXPECT_NE(a.signature, b.signature);
  for (const auto& [name, value] : a.headers) EXPECT_EQ(value.find("topsecret"), std::string::npos);
  EXPECT_EQ(a.canonical_request.find("topsecret"), std::string::npos);
}

}  // namespace
}  // namespace parley::aws

namespace parley::aws {
namespace {

TEST(SigningKeyCache, GivesTheSameSignatureAndNoticesRotatedSecretsAndNewDays) {
  std::vector<Header> headers{{"Host", "h"}};
  SigningRequest request{.headers = headers, .body = "{}"};
  SigningOptions options{.region = "us-east-1", .service = "dynamodb"};
  auto day1 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + std::chrono::hours{23};
  auto day2 = day1 + std::chrono::hours{2};
  Credentials first{.access_key_id = "A", .secret_access_key = "one"};
  Credentials second{.access_key_id = "A", .secret_access_key = "two"};
  SigningKeyCache cache;
  for (const auto& credentials : {first, second, first}) {
    for (auto now : {day1, day2, day1}) {
      EXPECT_EQ(signV4(request, credentials, options, now, &cache).signature,
                signV4(request, credentials, options, now).signature);
    }
  }
}

}  // namespace
}  // namespace parley::aws
