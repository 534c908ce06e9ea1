#include <gtest/gtest.h>

#include <boost/system/system_error.hpp>

#include "parley/config/config.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::config {
namespace {

Config parseOk(std::string_view text, const Environment& environment = {}) {
  auto config = parse(text, "f.json", environment);
  EXPECT_TRUE(config) << (config ? "" : config.error().message);
  return config ? *config : Config{};
}

TEST(Parse, EmptyObjectGivesDefaults) {
  auto config = parseOk("{}");
  Config defaults;
  EXPECT_EQ(config.server.host, defaults.server.host);
  EXPECT_EQ(config.server.port, 3000);
  EXPECT_EQ(config.server.io_threads, 1);
  EXPECT_EQ(config.server.worker_threads, 2);
  EXPECT_EQ(config.server.body_limit, 65536u);
  EXPECT_EQ(config.server.header_limit, 8192u);
  EXPECT_EQ(config.server.idle_timeout_seconds, 30);
  EXPECT_EQ(config.storage.type, StorageType::kSqlite);
  EXPECT_EQ(config.storage.path, "parley-local.db");
  EXPECT_EQ(config.storage.table_prefix, "parley-");
  EXPECT_FALSE(config.skill.verify_signatures);
  EXPECT_EQ(config.skill.seed, std::nullopt);
  EXPECT_EQ(config.skill.views, "app/views");
  EXPECT_EQ(config.linking.mode, "accounts");
  EXPECT_TRUE(config.linking.success_page);
  EXPECT_TRUE(config.linking.clients.empty());
  EXPECT_EQ(config.log.level, "info");
  EXPECT_TRUE(config.server.trusted_proxies.empty());
  EXPECT_EQ(config.server.proxy_headers, http::ProxyHeaders::kXForwarded);
  EXPECT_FALSE(config.server.require_https);
  EXPECT_FALSE(config.linking.require_token_pepper);
  EXPECT_TRUE(config.linking.token_pepper.empty());
}

TEST(Parse, ClientsAllowOnlyTheCodeGrantUnlessResponseTypesSaysSo) {
  auto config = parseOk(R"({"linking": {"clients": [{"id": "a"},
                                                   {"id": "b", "responseTypes": ["code", "token"]},
                                                   {"id": "c", "responseTypes": ["token"]}]}})");
  ASSERT_EQ(config.linking.clients.size(), 3u);
  EXPECT_EQ(config.linking.clients[0].response_types, std::vector<std::string>{"code"});
  EXPECT_EQ(config.linking.clients[1].response_types, (std::vector<std::string>{"code", "token"}));
  EXPECT_EQ(config.linking.clients[2].response_types, std::vector<std::string>{"token"});
}

TEST(Parse, ReadsEveryKey) {
  auto config = parseOk(R"({
    "server": {"host": "0.0.0.0", "port": 8443, "ioThreads": 3, "workerThreads": 5,
               "bodyLimit": 1000, "headerLimit": 2000, "idleTimeoutSeconds": 9,
               "tls": {"cert": "c.pem", "key": "k.pem"},
               "trustedProxies": ["10.0.0.0/8", "2001:db8::1"], "proxyHeaders": "forwarded",
               "requireHttps": true},
    "storage": {"type": "dynamodb", "path": "x.db", "region": "eu-west-1",
                "endpoint": "http://127.0.0.1:8000", "tablePrefix": "p-", "caFile": "ca.pem"},
    "skill": {"applicationIds": ["amzn1.ask.skill.1", "amzn1.ask.skill.2"],
              "verifySignatures": true, "views": "v", "seed": 18446744073709551615},
    "linking": {"mode": "email-only", "successPage": false, "requireTokenPepper": true,
                "clients": [{"id": "c1", "secret": "s1", "name": "One",
                             "redirectUris": ["https://a/1", "https://b/1"]},
                            {"id": "c2"}]},
    "lambda": {"functionName": "fn"},
    "log": {"level": "warn"}
  })",
                        {{"PARLEY_TOKEN_PEPPER", std::string(64, 'a')}});
  EXPECT_EQ(config.server.host, "0.0.0.0");
  EXPECT_EQ(config.server.port, 8443);
  EXPECT_EQ(config.server.io_threads, 3);
  EXPECT_EQ(config.server.worker_threads, 5);
  EXPECT_EQ(config.server.body_limit, 1000u);
  EXPECT_EQ(config.server.header_limit, 2000u);
  EXPECT_EQ(config.server.idle_timeout_seconds, 9);
  EXPECT_EQ(config.server.tls.cert, "c.pem");
  EXPECT_EQ(config.server.tls.key, "k.pem");
  EXPECT_EQ(config.server.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "2001:db8::1"}));
  EXPECT_EQ(config.server.proxy_headers, http::ProxyHeaders::kForwarded);
  EXPECT_TRUE(config.server.require_https);
  EXPECT_EQ(config.storage.type, StorageType::kDynamoDb);
  EXPECT_EQ(config.storage.path, "x.db");
  EXPECT_EQ(config.storage.region, "eu-west-1");
  EXPECT_EQ(config.storage.endpoint, "http://127.0.0.1:8000");
  EXPECT_EQ(config.storage.table_prefix, "p-");
  EXPECT_EQ(config.storage.ca_file, "ca.pem");
  EXPECT_EQ(config.skill.application_ids,
            (std::vector<std::string>{"amzn1.ask.skill.1", "amzn1.ask.skill.2"}));
  EXPECT_TRUE(config.skill.verify_signatures);
  EXPECT_EQ(config.skill.views, "v");
  EXPECT_EQ(config.skill.seed, 18446744073709551615ull);
  EXPECT_EQ(config.linking.mode, "email-only");
  EXPECT_FALSE(config.linking.success_page);
  EXPECT_TRUE(config.linking.require_token_pepper);
  ASSERT_EQ(config.linking.clients.size(), 2u);
  EXPECT_EQ(config.linking.clients[0].id, "c1");
  EXPECT_EQ(config.linking.clients[0].secret, "s1");
  EXPECT_EQ(config.linking.clients[0].name, "One");
  EXPECT_EQ(config.linking.clients[0].redirect_uris,
            (std::vector<std::string>{"https://a/1", "https://b/1"}));
  EXPECT_EQ(config.linking.clients[1].id, "c2");
  EXPECT_TRUE(config.linking.clients[1].redirect_uris.empty());
  EXPECT_EQ(config.lambda.function_name, "fn");
  EXPECT_EQ(config.log.level, "warn");
}

TEST(Parse, NullSeedMeansRandom) {
  EXPECT_EQ(parseOk(R"({"skill": {"seed": null}})").skill.seed, std::nullopt);
}

TEST(OverrideVariable, UpperCasesTheKeyPathWithUnderscores) {
  EXPECT_EQ(overrideVariable("server.port"), "PARLEY_SERVER_PORT");
  EXPECT_EQ(overrideVariable("storage.tablePrefix"), "PARLEY_STORAGE_TABLE_PREFIX");
  EXPECT_EQ(overrideVariable("server.tls.cert"), "PARLEY_SERVER_TLS_CERT");
  EXPECT_EQ(overrideVariable("skill.applicationIds"), "PARLEY_SKILL_APPLICATION_IDS");
  EXPECT_EQ(clientSecretVariable("alexa-skill.v2"), "PARLEY_LINKING_CLIENT_ALEXA_SKILL_V2_SECRET");
}

TEST(Overrides, ReplaceSingleKeysOfEveryType) {
  auto config = parseOk(R"({"server": {"port": 1}, "storage": {"tablePrefix": "file-"},
                            "skill": {"applicationIds": ["x"]},
                            "linking": {"clients": [{"id": "alexa", "secret": "in-file"}]}})",
                        {{"PARLEY_SERVER_PORT", "8080"},
                         {"PARLEY_SERVER_TLS_CERT", "/tls/cert.pem"},
                         {"PARLEY_SERVER_TRUSTED_PROXIES", "10.0.0.1,10.0.0.2"},
                         {"PARLEY_SERVER_REQUIRE_HTTPS", "true"},
                         {"PARLEY_STORAGE_TYPE", "dynamodb"},
                         {"PARLEY_STORAGE_TABLE_PREFIX", "env-"},
                         {"PARLEY_SKILL_VERIFY_SIGNATURES", "true"},
                         {"PARLEY_SKILL_APPLICATION_IDS", "a,b"},
                         {"PARLEY_SKILL_SEED", "7"},
                         {"PARLEY_LOG_LEVEL", "error"},
                         {"PARLEY_LINKING_CLIENT_ALEXA_SECRET", "from-env"}});
  EXPECT_EQ(config.server.port, 8080);
  EXPECT_EQ(config.server.tls.cert, "/tls/cert.pem");
  EXPECT_EQ(config.server.trusted_proxies, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_TRUE(config.server.require_https);
  EXPECT_EQ(config.storage.type, StorageType::kDynamoDb);
  EXPECT_EQ(config.storage.table_prefix, "env-");
  EXPECT_TRUE(config.skill.verify_signatures);
  EXPECT_EQ(config.skill.application_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(config.skill.seed, 7u);
  EXPECT_EQ(config.log.level, "error");
  EXPECT_EQ(config.linking.clients.at(0).secret, "from-env");
}

TEST(Overrides, EmptyListVariableClearsTheList) {
  auto config =
      parseOk(R"({"skill": {"applicationIds": ["x"]}})", {{"PARLEY_SKILL_APPLICATION_IDS", ""}});
  EXPECT_TRUE(config.skill.application_ids.empty());
}

TEST(Overrides, PortSetsServerPortUnlessTheParleyVariableDoes) {
  EXPECT_EQ(parseOk("{}", {{"PORT", "9000"}}).server.port, 9000);
  EXPECT_EQ(parseOk("{}", {{"PORT", "9000"}, {"PARLEY_SERVER_PORT", "9001"}}).server.port, 9001);
}

TEST(Overrides, UnrelatedVariablesChangeNothing) {
  auto config =
      parseOk("{}", {{"SERVER_PORT", "1"}, {"PARLEY_SERVER", "x"}, {"parley_server_port", "2"}});
  EXPECT_EQ(config.server.port, 3000);
}

struct BadConfig {
  const char* text;
  Error code;
  const char* message;
};

void PrintTo(const BadConfig& bad, std::ostream* out) { *out << bad.text; }

class RejectsBadConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(RejectsBadConfig, WithOneLineNamingFileAndKey) {
  auto config = parse(GetParam().text, "config/local.json", {});
  ASSERT_FALSE(config) << GetParam().text;
  EXPECT_EQ(config.error().code, GetParam().code);
  EXPECT_EQ(config.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Parse, RejectsBadConfig,
    ::testing::Values(
        BadConfig{R"({"server": {"port": "80"}})", Error::kWrongType,
                  "config/local.json: server.port: expected an integer from 0 to 65535, got a "
                  "string"},
        BadConfig{R"({"server": {"port": 70000}})", Error::kInvalidValue,
                  "config/local.json: server.port: expected an integer from 0 to 65535"},
        BadConfig{R"({"server": {"port": -1}})", Error::kInvalidValue,
                  "config/local.json: server.port: expected an integer from 0 to 65535"},
        BadConfig{R"({"server": {"port": 80.5}})", Error::kWrongType,
                  "config/local.json: server.port: expected an integer from 0 to 65535, got a "
                  "number"},
        BadConfig{R"({"server": {"ioThreads": 0}})", Error::kInvalidValue,
                  "config/local.json: server.ioThreads: expected an integer from 1 to 256"},
        BadConfig{R"({"server": {"tls": {"cert": 1}}})", Error::kWrongType,
                  "config/local.json: server.tls.cert: expected a string, got an integer"},
        BadConfig{R"({"server": []})", Error::kWrongType,
                  "config/local.json: server: expected an object, got an array"},
        BadConfig{R"({"server": {"prot": 3000}})", Error::kUnknownKey,
                  "config/local.json: server.prot: unknown key"},
        BadConfig{R"({"server": {"proxyHeaders": "X-Real-IP"}})", Error::kInvalidValue,
                  "config/local.json: server.proxyHeaders: expected one of x-forwarded, "
                  "forwarded"},
        BadConfig{R"({"server": {"requireHttps": "yes"}})", Error::kWrongType,
                  "config/local.json: server.requireHttps: expected a boolean, got a string"},
        BadConfig{R"({"server": {"trustedProxies": "10.0.0.1"}})", Error::kWrongType,
                  "config/local.json: server.trustedProxies: expected an array of strings, got a "
                  "string"},
        BadConfig{
            R"({"linking": {"clients": [{"id": "a", "responseTypes": ["code", "id_token"]}]}})",
            Error::kInvalidValue,
            "config/local.json: linking.clients[0].responseTypes[1]: expected one of code, "
            "token, got \"id_token\""},
        BadConfig{R"({"linking": {"clients": [{"id": "a", "responseTypes": []}]}})",
                  Error::kInvalidValue,
                  "config/local.json: linking.clients[0].responseTypes: expected one or more of "
                  "code, token"},
        BadConfig{R"({"linking": {"clients": [{"id": "a", "responseTypes": "code"}]}})",
                  Error::kWrongType,
                  "config/local.json: linking.clients[0].responseTypes: expected an array of "
                  "strings, got a string"},
        BadConfig{R"({"storage": {"type": "postgres"}})", Error::kInvalidValue,
                  "config/local.json: storage.type: expected one of sqlite, dynamodb"},
        BadConfig{R"({"skill": {"verifySignatures": "yes"}})", Error::kWrongType,
                  "config/local.json: skill.verifySignatures: expected a boolean, got a string"},
        BadConfig{R"({"skill": {"applicationIds": "amzn1"}})", Error::kWrongType,
                  "config/local.json: skill.applicationIds: expected an array of strings, got a "
                  "string"},
        BadConfig{R"({"skill": {"applicationIds": ["a", 2]}})", Error::kWrongType,
                  "config/local.json: skill.applicationIds[1]: expected a string, got an "
                  "integer"},
        BadConfig{R"({"skill": {"seed": "42"}})", Error::kWrongType,
                  "config/local.json: skill.seed: expected null or a non-negative integer, got a "
                  "string"},
        BadConfig{R"({"skill": {"seed": -4}})", Error::kInvalidValue,
                  "config/local.json: skill.seed: expected null or an integer from 0 to "
                  "18446744073709551615"},
        BadConfig{R"({"linking": {"clients": {}}})", Error::kWrongType,
                  "config/local.json: linking.clients: expected an array of objects, got an "
                  "object"},
        BadConfig{R"({"linking": {"clients": [{"id": "a"}, "b"]}})", Error::kWrongType,
                  "config/local.json: linking.clients[1]: expected an object, got a string"},
        BadConfig{R"({"linking": {"clients": [{"id": "a", "redirectUris": [null]}]}})",
                  Error::kWrongType,
                  "config/local.json: linking.clients[0].redirectUris[0]: expected a string, got "
                  "null"},
        BadConfig{R"({"linking": {"clients": [{"id": "a", "redirect_uris": []}]}})",
                  Error::kUnknownKey,
                  "config/local.json: linking.clients[0].redirect_uris: unknown key"},
        BadConfig{R"({"log": {"level": "loud"}})", Error::kInvalidValue,
                  "config/local.json: log.level: expected one of trace, debug, info, warn, "
                  "error, critical, off"},
        BadConfig{R"({"lambda": {"functionName": false}})", Error::kWrongType,
                  "config/local.json: lambda.functionName: expected a string, got a boolean"},
        BadConfig{R"({"extra": 1})", Error::kUnknownKey, "config/local.json: extra: unknown key"},
        BadConfig{"[]", Error::kWrongType,
                  "config/local.json: expected a JSON object at the top, got an array"}));

TEST(Parse, MalformedJsonNamesFileAndPosition) {
  auto config = parse("{\n  \"server\": {\"port\": 1,,}\n}", "config/local.json", {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Error::kMalformedJson);
  EXPECT_EQ(
      config.error().message.rfind("config/local.json: malformed JSON at line 2, column 24: ", 0),
      0u)
      << config.error().message;
}

TEST(Parse, TruncatedAndTrailingJsonAreMalformed) {
  for (const char* text : {"", "{", "{\"server\": ", "{} x", "{}{}"}) {
    auto config = parse(text, "f.json", {});
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error().code, Error::kMalformedJson) << text;
    EXPECT_EQ(config.error().message.find('\n'), std::string::npos);
  }
}

TEST(Overrides, BadValuesNameFileKeyAndVariable) {
  auto port = parse("{}", "f.json", {{"PARLEY_SERVER_PORT", "80a"}});
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().message,
            "f.json: server.port (from PARLEY_SERVER_PORT): expected an integer from 0 to 65535");
  auto big = parse("{}", "f.json", {{"PORT", "65536"}});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message,
            "f.json: server.port (from PORT): expected an integer from 0 to 65535");
  auto flag = parse("{}", "f.json", {{"PARLEY_SKILL_VERIFY_SIGNATURES", "yes"}});
  ASSERT_FALSE(flag);
  EXPECT_EQ(flag.error().message,
            "f.json: skill.verifySignatures (from PARLEY_SKILL_VERIFY_SIGNATURES): expected true "
            "or false");
  auto type = parse("{}", "f.json", {{"PARLEY_STORAGE_TYPE", "redis"}});
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().message,
            "f.json: storage.type (from PARLEY_STORAGE_TYPE): expected one of sqlite, dynamodb");
}

const std::string kPepperHex = "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F";

TEST(TokenPepper, ComesFromTheEnvironmentAsHex) {
  auto config = parseOk("{}", {{"PARLEY_TOKEN_PEPPER", kPepperHex}});
  std::string expected;
  for (char byte = 0; byte < 32; ++byte) expected.push_back(byte);
  EXPECT_EQ(config.linking.token_pepper, expected);
  // An empty variable is an unset one (a deploy tool may pass "").
  EXPECT_TRUE(parseOk("{}", {{"PARLEY_TOKEN_PEPPER", ""}}).linking.token_pepper.empty());
  // Not a file key: the pepper stays out of committed files.
  auto in_file = parse(R"({"linking": {"tokenPepper": "00"}})", "f.json", {});
  ASSERT_FALSE(in_file);
  EXPECT_EQ(in_file.error().code, Error::kUnknownKey);
}

TEST(TokenPepper, MalformedValuesAreRefusedWithoutRepeatingThem) {
  for (std::string bad :
       {kPepperHex.substr(0, 62), kPepperHex + "00", kPepperHex.substr(0, 63),
        kPepperHex.substr(0, 63) + "g", std::string(64, ' '), std::string(64, 'z')}) {
    auto config = parse("{}", "f.json", {{"PARLEY_TOKEN_PEPPER", bad}});
    ASSERT_FALSE(config) << bad;
    EXPECT_EQ(config.error().code, Error::kInvalidValue);
    EXPECT_EQ(config.error().message,
              "PARLEY_TOKEN_PEPPER: expected 64 hex characters (32 bytes, e.g. from `openssl rand "
              "-hex 32`)");
  }
}

TEST(TokenPepper, RequiredPepperMustBeSet) {
  auto missing =
      parse(R"({"linking": {"requireTokenPepper": true}})", "config/production.json", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Error::kInvalidValue);
  EXPECT_EQ(missing.error().message,
            "config/production.json: linking.requireTokenPepper: PARLEY_TOKEN_PEPPER is not set "
            "(64 hex characters, e.g. from `openssl rand -hex 32`)");
  EXPECT_FALSE(parse("{}", "f.json", {{"PARLEY_LINKING_REQUIRE_TOKEN_PEPPER", "true"}}));
  EXPECT_TRUE(parse(R"({"linking": {"requireTokenPepper": true}})", "f.json",
                    {{"PARLEY_TOKEN_PEPPER", kPepperHex}}));
}

TEST(Load, ReadsTheSelectedFileAndRecordsWhereFrom) {
  parley::testing::TempDir dir;
  dir.write("test.json", R"({"server": {"port": 1234}})");
  auto config = load({{"SKILL_ENV", "test"}}, {.file = {}, .directory = dir.path()});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->environment, "test");
  EXPECT_EQ(config->file, dir / "test.json");
  EXPECT_EQ(config->server.port, 1234);
}

TEST(Load, MissingFileNamesItAndSuggestsTheExample) {
  parley::testing::TempDir dir;
  auto config = load({}, {.file = {}, .directory = dir.path()});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Error::kUnreadableFile);
  EXPECT_EQ(config.error().message,
            (dir / "local.json").string() +
                ": cannot read the config file (copy config/local.json.example to create it)");
}

TEST(Load, ErrorsNameTheLoadedFile) {
  parley::testing::TempDir dir;
  auto file = dir.write("custom.json", R"({"server": {"port": true}})");
  auto config = load({}, {.file = file, .directory = dir.path()});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            file.string() + ": server.port: expected an integer from 0 to 65535, got a boolean");
}

TEST(Load, ValueOfAnErrorThrowsSystemErrorWithTheMessage) {
  auto config = parse("{", "f.json", {});
  try {
    (void)config.value();
    FAIL() << "value() of an error returned";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), make_error_code(Error::kMalformedJson));
    EXPECT_NE(std::string{error.what()}.find("f.json: malformed JSON"), std::string::npos);
  }
}

// The shipped files load and say what the environments need.
TEST(ShippedConfig, LocalExampleUsesSqliteWithoutSignaturesAndAlexaRedirects) {
  auto config = load({}, {.file = parley::testing::sourceDir() / "config" / "local.json.example",
                          .directory = {}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->storage.type, StorageType::kSqlite);
  EXPECT_FALSE(config->skill.verify_signatures);
  ASSERT_EQ(config->linking.clients.size(), 1u);
  EXPECT_EQ(config->linking.clients[0].redirect_uris,
            (std::vector<std::string>{"https://pitangui.amazon.com/api/skill/link/VENDORID",
                                      "https://layla.amazon.com/api/skill/link/VENDORID",
                                      "https://alexa.amazon.co.jp/api/skill/link/VENDORID"}));
}

TEST(ShippedConfig, TestUsesSqliteWithoutSignatures) {
  auto config = load({{"SKILL_ENV", "test"}},
                     {.file = {}, .directory = parley::testing::sourceDir() / "config"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->linking.require_token_pepper);
  EXPECT_EQ(config->storage.type, StorageType::kSqlite);
  EXPECT_FALSE(config->skill.verify_signatures);
}

TEST(ShippedConfig, StagesUseDynamoDbWithTheirOwnPrefixAndVerifySignatures) {
  for (std::string stage : {"staging", "production"}) {
    const auto directory = parley::testing::sourceDir() / "config";
    Environment environment{{"AWS_LAMBDA_FUNCTION_NAME", "parley-" + stage}};
    // They store tokens under a pepper and refuse to start without one (R67).
    auto without = load(environment, {.file = {}, .directory = directory});
    ASSERT_FALSE(without) << stage;
    EXPECT_NE(without.error().message.find("PARLEY_TOKEN_PEPPER is not set"), std::string::npos);
    environment.set("PARLEY_TOKEN_PEPPER", kPepperHex);
    auto config = load(environment, {.file = {}, .directory = directory});
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(config->linking.require_token_pepper);
    EXPECT_EQ(config->environment, stage);
    EXPECT_EQ(config->storage.type, StorageType::kDynamoDb);
    EXPECT_EQ(config->storage.table_prefix, "parley-" + stage + "-");
    EXPECT_TRUE(config->skill.verify_signatures);
  }
}

}  // namespace
}  // namespace parley::config
