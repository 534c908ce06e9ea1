// Accounts mode: sign-in, sign-up, throttling and the authorization code redirect (spec §12.3).
#include <boost/json/serialize.hpp>

#include "harness.hpp"
#include "parley/linking/account_removal.hpp"
#include "parley/linking/crypto.hpp"

namespace parley::testing {
namespace {

const std::string kPassword = "correct horse battery";

class AccountsTest : public LinkingHarness {
 protected:
  AccountsTest() : LinkingHarness(Mode::kAccounts) {}

  // Creates user@example.com through the sign-up form and returns its user id.
  std::string signUpUser() {
    auto browser = start("st-0", "code");
    auto outcome = authorizer_->signUp(
        form(browser, {{"email", "user@example.com"}, {"password", kPassword}}));
    auto account = accounts_.findByEmail("user@example.com");
    EXPECT_TRUE(account);
    return account ? account->user_id : std::string{};
  }

  Outcome login(Browser& browser, const std::string& email, const std::string& password,
                const std::string& ip = "192.0.2.1") {
    auto input = form(browser, {{"email", email}, {"password", password}});
    input.client_ip = ip;
    auto outcome = authorizer_->signIn(input);
    if (auto* page = std::get_if<ShowPage>(&outcome)) {
      browser.csrf = std::string{page->model.at("csrf").as_string()};
    }
    return outcome;
  }
};

// The page a failed sign-in shows, minus the fresh CSRF token (T38 compares these).
std::string pageWithoutCsrf(const Outcome& outcome) {
  auto* page = std::get_if<ShowPage>(&outcome);
  EXPECT_TRUE(page);
  if (!page) return {};
  auto model = page->model;
  model.erase("csrf");
  return std::to_string(page->status) + boost::json::serialize(model);
}

TEST_F(AccountsTest, SignUpStoresAnArgon2idHashAndRedirectsWithACode) {
  auto options = testOptions(Mode::kAccounts);
  options.password = PasswordOptions{};  // the spec's parameters (R53)
  options.success_page = false;
  rebuild(options);
  auto browser = start("a b&c", "code");
  auto outcome =
      authorizer_->signUp(form(browser, {{"email", "New@Example.com"}, {"password", kPassword}}));
  auto* redirect = std::get_if<Redirect>(&outcome);
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 303);  // T48
  EXPECT_EQ(redirect->location.rfind(kPitangui + "?code=ac_", 0), 0u);
  auto result = responseParams(redirect->location, '?');
  EXPECT_EQ(valueOf(result, "state"), "a b&c");
  EXPECT_EQ(valueOf(result, "code").size(), 46u);
  auto account = accounts_.findByEmail("new@example.com");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->password_hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u);
  EXPECT_EQ(account->password_hash.find(kPassword), std::string::npos);
  EXPECT_TRUE(users_.get(account->user_id));
}

TEST_F(AccountsTest, SignInWithTheRightPasswordRedirectsWithACode) {
  signUpUser();
  auto browser = start("st-1", "code");
  auto outcome = login(browser, "User@Example.com", kPassword);
  auto location = locationOf(outcome);  // Android agent: direct redirect (R82)
  EXPECT_EQ(location.rfind(kPitangui + "?code=", 0), 0u);
  EXPECT_EQ(valueOf(responseParams(location, '?'), "state"), "st-1");
}

TEST_F(AccountsTest, WrongPasswordAndUnknownEmailLookTheSame) {
  signUpUser();
  auto browser = start("st-1", "code");
  auto wrong = login(browser, "user@example.com", "wrong password!");  // T37
  auto unknown = login(browser, "nobody@example.com", "wrong password!");
  ASSERT_TRUE(std::holds_alternative<ShowPage>(wrong));
  EXPECT_EQ(std::get<ShowPage>(wrong).status, 200);
  EXPECT_EQ(std::get<ShowPage>(wrong).model.at("error").as_string(),
            "E-mail or password is incorrect.");
  EXPECT_FALSE(std::get<ShowPage>(wrong).model.at("signup_failed").as_bool());
  auto normalize = [](std::string page) {
    auto at = page.find("nobody@example.com");
    if (at != std::string::npos) page.replace(at, 18, "user@example.com");
    return page;
  };
  EXPECT_EQ(pageWithoutCsrf(wrong), normalize(pageWithoutCsrf(unknown)));  // T38
  // An unknown e-mail runs Argon2 too (R56).
  auto before = authorizer_->passwords().runs();
  login(browser, "nobody2@example.com", "wrong password!");
  EXPECT_EQ(authorizer_->passwords().runs(), before + 1);
}

TEST_F(AccountsTest, SignUpWithAnExistingEmailAndWrongPasswordIsGeneric) {
  signUpUser();
  auto browser = start("st-1", "code");
  auto outcome = authorizer_->signUp(
      form(browser, {{"email", "user@example.com"}, {"password", "another password"}}));  // T46
  ASSERT_TRUE(std::holds_alternative<ShowPage>(outcome));
  EXPECT_EQ(std::get<ShowPage>(outcome).model.at("error").as_string(),
            "E-mail or password is incorrect.");
  // The message shows in the sign-up form, which was posted.
  EXPECT_TRUE(std::get<ShowPage>(outcome).model.at("signup_failed").as_bool());
  EXPECT_EQ(accounts_.size(), 1u);
  refresh(browser, outcome);
  // R58: the right password signs in instead.
  auto again =
      authorizer_->signUp(form(browser, {{"email", "user@example.com"}, {"password", kPassword}}));
  EXPECT_EQ(locationOf(again).rfind(kPitangui + "?code=", 0), 0u);
  EXPECT_EQ(accounts_.size(), 1u);
}

TEST_F(AccountsTest, RejectsBadPasswordLengthsBeforeHashing) {
  auto browser = start("st-1", "code");
  auto before = authorizer_->passwords().runs();
  expectErrorPage(authorizer_->signUp(form(browser, {{"email", "user@example.com"},
                                                     {"password", std::string(1 << 20, 'a')}})),
                  413);  // T44: a 1 MiB password never reaches Argon2
  for (std::string password : std::vector<std::string>{std::string(7, 'a'), std::string(129, 'a'),
                                                       std::string(513 / 2, '\x80'), ""}) {
    auto outcome = authorizer_->signUp(
        form(browser, {{"email", "user@example.com"}, {"password", password}}));  // T44, T45
    auto* page = std::get_if<ShowPage>(&outcome);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 400);
    refresh(browser, outcome);
  }
  auto oversized =
      form(browser, {{"email", std::string(10240, 'a') + "@x.y"}, {"password", kPassword}});
  auto outcome = authorizer_->signIn(oversized);
  ASSERT_TRUE(std::holds_alternative<ShowPage>(outcome));
  EXPECT_EQ(std::get<ShowPage>(outcome).status, 400);
  EXPECT_EQ(authorizer_->passwords().runs(), before);
  EXPECT_EQ(accounts_.size(), 0u);
  EXPECT_TRUE(acceptablePassword(std::string(128, 'a')));
  EXPECT_TRUE(
      acceptablePassword("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
}

TEST_F(AccountsTest, DelaysAnEmailAfterFiveFailuresWhetherOrNotItExists) {
  signUpUser();
  for (std::string email : {"user@example.com", "ghost@example.com"}) {
    auto browser = start("st-1", "code");
    for (int i = 0; i < 5; ++i) {
      auto outcome = login(browser, email, "wrong password!");
      ASSERT_TRUE(std::holds_alternative<ShowPage>(outcome)) << i;
    }
    auto sixth = login(browser, email, "wrong password!");  // T39
    expectErrorPage(sixth, 429);
    EXPECT_EQ(std::get<ErrorPage>(sixth).retry_after, seconds{1});
    auto before = authorizer_->passwords().runs();
    expectErrorPage(login(browser, email, kPassword), 429);  // refused during the delay
    EXPECT_EQ(authorizer_->passwords().runs(), before);
    clock_.advance(seconds{2});
  }
  // After the delay the right password works and resets the counter.
  auto browser = start("st-2", "code");
  EXPECT_TRUE(std::holds_alternative<Redirect>(login(browser, "user@example.com", kPassword)));
  EXPECT_FALSE(throttle_.get("email:" + core::sha256Hex("user@example.com")));
}

TEST_F(AccountsTest, LimitsPostsPerClientAddress) {
  auto browser = start("st-1", "code");
  for (int i = 0; i < 20; ++i) {
    auto outcome =
        login(browser, "u" + std::to_string(i) + "@example.com", "wrong password!", "203.0.113.5");
    ASSERT_TRUE(std::holds_alternative<ShowPage>(outcome)) << i;
  }
  auto outcome = login(browser, "x@example.com", "wrong password!", "203.0.113.5");  // T40
  expectErrorPage(outcome, 429);
  EXPECT_TRUE(std::get<ErrorPage>(outcome).retry_after.has_value());
  // Another address is unaffected; the window ends after five minutes.
  EXPECT_TRUE(std::holds_alternative<ShowPage>(
      login(browser, "y@example.com", "wrong password!", "203.0.113.6")));
  clock_.advance(seconds{300});
  EXPECT_TRUE(std::holds_alternative<ShowPage>(
      login(browser, "z@example.com", "wrong password!", "203.0.113.5")));
}

TEST_F(AccountsTest, LimitsSignUpsPerClientAddress) {
  for (int i = 0; i < 5; ++i) {
    auto browser = start("st", "code");
    auto input = form(
        browser, {{"email", "n" + std::to_string(i) + "@example.com"}, {"password", kPassword}});
    EXPECT_TRUE(std::holds_alternative<Redirect>(authorizer_->signUp(input))) << i;
  }
  auto browser = start("st", "code");
  expectErrorPage(
      authorizer_->signUp(form(browser, {{"email", "n9@example.com"}, {"password", kPassword}})),
      429);
  EXPECT_EQ(accounts_.size(), 5u);
}

TEST_F(AccountsTest, RehashesOutdatedPasswordHashesOnSignIn) {
  signUpUser();  // the harness hashes with 64 KiB, 1 iteration
  auto old_hash = accounts_.findByEmail("user@example.com")->password_hash;
  auto options = testOptions(Mode::kAccounts);
  options.password = PasswordOptions{.memory_kib = 128, .iterations = 2, .max_concurrent = 1};
  rebuild(options);
  auto browser = start("st-1", "code");
  EXPECT_TRUE(std::holds_alternative<Redirect>(login(browser, "user@example.com", kPassword)));
  auto new_hash = accounts_.findByEmail("user@example.com")->password_hash;
  EXPECT_NE(new_hash, old_hash);
  EXPECT_EQ(new_hash.rfind("$argon2id$v=19$m=128,t=2,p=1$", 0), 0u);
}

// R72, account deletion: every client's tokens stop working at once, the Alexa users linked to
// the user are forgotten, and the e-mail can sign up anew.
TEST_F(AccountsTest, RemovingAnAccountRevokesEverythingAndFreesTheEmail) {
  const auto user_id = signUpUser();
  auto linked = tokens_->issue(user_id, "alexa-test");
  auto elsewhere = tokens_->issue(user_id, "other");
  ASSERT_TRUE(linked && elsewhere);
  storage::MemoryAlexaUserStore alexa_users;
  alexa_users.put({.alexa_user_id = "amzn1.ask.account.A", .user_id = user_id, .client_id = "c"});
  alexa_users.put({.alexa_user_id = "amzn1.ask.account.B", .user_id = "someone", .client_id = "c"});
  const AccountRemovalStores stores{
      .users = users_, .accounts = accounts_, .grants = grants_, .alexa_users = alexa_users};

  const auto removed = removeAccount(stores, user_id, clock_.now());
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->user.email, "user@example.com");
  EXPECT_TRUE(removed->sign_in_account);
  EXPECT_EQ(removed->grants_revoked, 3u);  // the sign-up's code grant, and the two issued
  EXPECT_EQ(removed->alexa_users, 1u);
  EXPECT_FALSE(users_.get(user_id));
  EXPECT_FALSE(accounts_.findByEmail("user@example.com"));
  EXPECT_FALSE(alexa_users.find("amzn1.ask.account.A"));
  EXPECT_TRUE(alexa_users.find("amzn1.ask.account.B"));
  EXPECT_FALSE(tokens_->resolveUser(linked->access_token));
  EXPECT_FALSE(tokens_->resolveUser(elsewhere->access_token));
  EXPECT_EQ(field(refreshWith(linked->refresh_token), "error"), "invalid_grant");

  EXPECT_FALSE(removeAccount(stores, user_id, clock_.now()));  // unknown now
  auto browser = start("st-1", "code");
  EXPECT_TRUE(std::holds_alternative<ShowPage>(login(browser, "user@example.com", kPassword)));
  EXPECT_NE(signUpUser(), user_id);
}

TEST_F(AccountsTest, RemovingAnotherUserOfTheSameEmailKeepsTheSignInAccount) {
  const auto user_id = signUpUser();
  users_.put({.id = "added-by-hand", .email = "user@example.com"});
  storage::MemoryAlexaUserStore alexa_users;
  const auto removed = removeAccount(
      {.users = users_, .accounts = accounts_, .grants = grants_, .alexa_users = alexa_users},
      "added-by-hand", clock_.now());
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->sign_in_account);
  EXPECT_EQ(accounts_.findByEmail("user@example.com")->user_id, user_id);
}

TEST_F(AccountsTest, CancelRedirectsAccessDeniedInTheQueryForCode) {
  auto browser = start("s t", "code");
  EXPECT_EQ(locationOf(authorizer_->cancel(form(browser, {}))),
            kPitangui + "?error=access_denied&state=s+t");  // T47
}

TEST_F(AccountsTest, EmailOnlyModeHasNoSignIn) {
  auto options = testOptions(Mode::kEmailOnly);
  rebuild(options);
  auto browser = start();
  expectErrorPage(login(browser, "user@example.com", kPassword), 404);
}

TEST(PasswordHasher, BoundsConcurrentComputations) {
  PasswordHasher hasher{PasswordOptions{.memory_kib = 8192,
                                        .iterations = 3,
                                        .max_concurrent = 1,
                                        .queue_wait = std::chrono::milliseconds{0}}};
  std::atomic<int> busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (!hasher.hash("password-123")) ++busy;  // T51: overflow → 503 upstream, no crash
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GE(busy.load(), 1);
  EXPECT_LE(hasher.runs(), 3u);
  auto hash = hasher.hash("password-123");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hasher.verify(*hash, "password-123"), std::optional{true});
  EXPECT_EQ(hasher.verify(*hash, "password-124"), std::optional{false});
  EXPECT_EQ(hasher.verifyDummy("password-123"), std::optional{false});
}

}  // namespace
}  // namespace parley::testing
