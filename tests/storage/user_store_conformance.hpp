#pragma once

// The behaviour every UserStore backend shares. A backend's test binary includes this header in
// exactly one .cpp and instantiates the suite with a factory that returns a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreConformance,
//                            ::testing::Values(parley::storage::testing::UserStoreBackend{
//                                "Memory", [] { return std::make_unique<MyStore>(...); }}),
//                            parley::storage::testing::backendName);

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "parley/storage/user_store.hpp"

namespace parley::storage::testing {

struct UserStoreBackend {
  std::string name{};  // letters and digits only: it becomes part of the test name
  std::function<std::unique_ptr<UserStore>()> make{};
};

// Test logs show the backend's name, not the bytes of the factory.
inline void PrintTo(const UserStoreBackend& backend, std::ostream* out) { *out << backend.name; }

inline std::string backendName(const ::testing::TestParamInfo<UserStoreBackend>& info) {
  return info.param.name;
}

// A fixed instant with a whole number of milliseconds, as every backend keeps it.
inline std::chrono::system_clock::time_point sampleTime() {
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{1714566896789}};
}

inline User sampleUser(std::string id, std::string email = "ada@example.com") {
  return User{.id = std::move(id),
              .email = std::move(email),
              .created_at = sampleTime(),
              .attributes = {{"plan", "free"}, {"visits", 3}}};
}

class UserStoreConformance : public ::testing::TestWithParam<UserStoreBackend> {
 protected:
  void SetUp() override { store_ = GetParam().make(); }
  UserStore& store() { return *store_; }

 private:
  std::unique_ptr<UserStore> store_;
};

TEST_P(UserStoreConformance, GetOfUnknownIdIsEmpty) {
  EXPECT_EQ(store().get("nobody"), std::nullopt);
  EXPECT_EQ(store().get(""), std::nullopt);
}

TEST_P(UserStoreConformance, CreatedUserIsReadBackUnchanged) {
  auto user = sampleUser("u1");
  user.attributes["nested"] = {{"list", {1, "two", nullptr, true}}, {"ratio", 0.5}};
  user.attributes["name"] = "Zoë \"the\" ünïcödé ✓";
  ASSERT_TRUE(store().create(user));
  EXPECT_EQ(store().get("u1"), user);
}

TEST_P(UserStoreConformance, UserWithoutAttributesKeepsAnEmptyObject) {
  User user{
      .id = "bare", .email = "bare@example.com", .created_at = sampleTime(), .attributes = {}};
  ASSERT_TRUE(store().create(user));
  auto stored = store().get("bare");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->attributes.empty());
  EXPECT_EQ(*stored, user);
}

TEST_P(UserStoreConformance, CreateNeverOverwritesAnExistingId) {
  ASSERT_TRUE(store().create(sampleUser("u1", "first@example.com")));
  auto second = sampleUser("u1", "second@example.com");
  second.attributes = {{"plan", "pro"}};
  EXPECT_FALSE(store().create(second));
  auto stored = store().get("u1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, "first@example.com");
  EXPECT_EQ(stored->attributes.at("plan"), "free");
}

TEST_P(UserStoreConformance, PutCreatesAMissingUser) {
  auto user = sampleUser("u2");
  store().put(user);
  EXPECT_EQ(store().get("u2"), user);
}

TEST_P(UserStoreConformance, PutReplacesEveryField) {
  ASSERT_TRUE(store().create(sampleUser("u3", "old@example.com")));
  User replacement{.id = "u3",
                   .email = "new@example.com",
                   .created_at = sampleTime() + std::chrono::hours{24},
                   .attributes = {{"linked", true}}};
  store().put(replacement);
  EXPECT_EQ(store().get("u3"), replacement);
}

TEST_P(UserStoreConformance, RemoveDeletesOnlyThatUser) {
  ASSERT_TRUE(store().create(sampleUser("gone")));
  ASSERT_TRUE(store().create(sampleUser("kept")));
  EXPECT_TRUE(store().remove("gone"));
  EXPECT_EQ(store().get("gone"), std::nullopt);
  EXPECT_TRUE(store().get("kept"));
  EXPECT_FALSE(store().remove("gone"));
  EXPECT_FALSE(store().remove("Kept"));
  EXPECT_FALSE(store().remove(""));
  EXPECT_TRUE(store().create(sampleUser("gone")));  // the id can be used again
}

TEST_P(UserStoreConformance, CreatedAtKeepsMillisecondsAndDropsFinerParts) {
  auto user = sampleUser("t1");
  user.created_at = sampleTime() + std::chrono::microseconds{999};
  ASSERT_TRUE(store().create(user));
  auto stored = store().get("t1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->created_at, sampleTime());
}

TEST_P(UserStoreConformance, IdsAreCaseSensitiveAndKeptByteForByte) {
  const std::vector<std::string> ids = {"abc", "ABC", "a'b\"c", "100%", "üser", "a b", "a;--"};
  for (const auto& id : ids) ASSERT_TRUE(store().create(sampleUser(id, id + "@example.com")));
  for (const auto& id : ids) {
    auto stored = store().get(id);
    ASSERT_TRUE(stored) << id;
    EXPECT_EQ(stored->id, id);
    EXPECT_EQ(stored->email, id + "@example.com");
  }
  EXPECT_EQ(store().get("Abc"), std::nullopt);
}

TEST_P(UserStoreConformance, ConcurrentCreatesOfOneIdHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([this, i, &winners] {
      if (store().create(sampleUser("contested", std::to_string(i) + "@example.com"))) ++winners;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1);
  auto stored = store().get("contested");
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->email.find("@example.com"), std::string::npos);
}

TEST_P(UserStoreConformance, ConcurrentWritersAndReadersSeeEveryUser) {
  constexpr int kThreads = 4;
  constexpr int kUsersPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> misses{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &misses] {
      for (int i = 0; i < kUsersPerThread; ++i) {
        auto id = "w" + std::to_string(t) + "-" + std::to_string(i);
        store().put(sampleUser(id));
        if (!store().get(id)) ++misses;  // a thread reads its own write
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(misses.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kUsersPerThread; ++i) {
      EXPECT_TRUE(store().get("w" + std::to_string(t) + "-" + std::to_string(i)));
    }
  }
}

}  // namespace parley::storage::testing
