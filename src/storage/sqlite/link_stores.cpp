#include "parley/storage/sqlite/link_stores.hpp"

#include <sqlite3.h>

#include <array>
#include <boost/json.hpp>
#include <functional>

#include "parley/storage/sqlite/schema.hpp"
#include "parley/storage/sqlite/user_store.hpp"
#include "user_row.hpp"

namespace parley::storage::sqlite {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE pending_requests (
  handle_hash TEXT PRIMARY KEY, csrf_hash TEXT NOT NULL, binding_hash TEXT NOT NULL,
  client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, response_type TEXT NOT NULL,
  state TEXT NOT NULL, scope TEXT NOT NULL, code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  consumed INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX pending_requests_expiry ON pending_requests (expires_at);
CREATE TABLE oauth_clients (id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE accounts (
  email TEXT PRIMARY KEY, user_id TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE grant_families (
  id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, scope TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER) WITHOUT ROWID;
CREATE INDEX grant_families_user ON grant_families (user_id);
CREATE TABLE authorization_codes (
  hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL, scope TEXT NOT NULL, code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  consumed_at INTEGER) WITHOUT ROWID;
CREATE TABLE access_tokens (
  hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER, revoked INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, parent_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL, first_used_at INTEGER, revoke_after INTEGER,
  revoked INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX refresh_tokens_parent ON refresh_tokens (parent_hash);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE TABLE throttle_counters (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, window_start INTEGER NOT NULL,
  last INTEGER NOT NULL) WITHOUT ROWID;
)sql";
// Alexa users (R81); by user id for account deletion.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE alexa_users (
  alexa_user_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, client_id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX alexa_users_user ON alexa_users (user_id);
)sql";
// An access token carries its family's user (AccessToken::user_id); older rows get it from
// their family.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE access_tokens ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
UPDATE access_tokens SET user_id = COALESCE(
  (SELECT f.user_id FROM grant_families f WHERE f.id = access_tokens.family_id), '');
)sql";
constexpr std::array<std::string_view, 3> kSchema{kSchemaV1, kSchemaV2, kSchemaV3};

std::int64_t millis(system_clock::time_point time) {
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

system_clock::time_point time(std::int64_t value) {
  return system_clock::time_point{
      std::chrono::duration_cast<system_clock::duration>(std::chrono::milliseconds{value})};
}

void bindTime(Statement& statement, int index, const std::optional<system_clock::time_point>& t) {
  if (t) {
    statement.bind(index, millis(*t));
  } else {
    statement.bindNull(index);
  }
}

std::optional<system_clock::time_point> optionalTime(const Statement& statement, int index) {
  if (statement.columnIsNull(index)) return std::nullopt;
  return time(statement.columnInt(index));
}

std::string text(const Statement& statement, int index) {
  return std::string{statement.columnText(index)};
}

// Runs a statement that returns no rows and answers how many rows it changed.
int execute(Database& database, std::string_view sql, const std::function<void(Statement&)>& bind) {
  auto& statement = database.cached(sql);
  ScopedReset reset{statement};
  bind(statement);
  statement.step();
  return database.changes();
}

// Row readers for `SELECT *` of a table, starting at column `first` (joins put tables side by
// side).
GrantFamily familyFrom(const Statement& s, int first) {
  return GrantFamily{.id = text(s, first),
                     .client_id = text(s, first + 1),
                     .user_id = text(s, first + 2),
                     .scope = text(s, first + 3),
                     .created_at = time(s.columnInt(first + 4)),
                     .revoked_at = optionalTime(s, first + 5)};
}

constexpr int kAccessColumns = 6;
constexpr int kFamilyColumns = 6;

// Private databases (":memory:", "") are never the same file, even under the same name.
bool sameFile(const std::string& a, const std::string& b) {
  return a == b && a != ":memory:" && !a.empty();
}

AccessToken accessTokenFrom(const Statement& s, int first) {
  return AccessToken{.hash = text(s, first),
                     .family_id = text(s, first + 1),
                     .user_id = text(s, first + 5),  // added by schema version 3: the last column
                     .created_at = time(s.columnInt(first + 2)),
                     .expires_at = optionalTime(s, first + 3),
                     .revoked = s.columnInt(first + 4) != 0};
}

boost::json::array toArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

std::vector<std::string> fromArray(const boost::json::value& value) {
  std::vector<std::string> out;
  for (const auto& item : value.as_array()) out.emplace_back(item.as_string());
  return out;
}

std::string clientJson(const OAuthClient& client) {
  return boost::json::serialize(boost::json::object{
      {"secret_hash", client.secret_hash},
      {"name", client.name},
      {"redirect_uris", toArray(client.redirect_uris)},
      {"response_types", toArray(client.response_types)},
      {"auth_methods", toArray(client.auth_methods)},
      {"allowed_scopes", toArray(client.allowed_scopes)},
      {"default_scopes", toArray(client.default_scopes)},
      {"pkce_required", client.pkce_required},
      {"access_token_ttl", client.access_token_ttl.count()},
      {"implicit_token_ttl", client.implicit_token_ttl.count()},
      {"rotate_refresh_tokens", client.rotate_refresh_tokens},
  });
}

OAuthClient clientFrom(std::string_view id, std::string_view json) {
  try {
    auto record = boost::json::parse(json).as_object();
    return OAuthClient{
        .id = std::string{id},
        .secret_hash = std::string{record.at("secret_hash").as_string()},
        .name = std::string{record.at("name").as_string()},
        .redirect_uris = fromArray(record.at("redirect_uris")),
        .response_types = fromArray(record.at("response_types")),
        .auth_methods = fromArray(record.at("auth_methods")),
        .allowed_scopes = fromArray(record.at("allowed_scopes")),
        .default_scopes = fromArray(record.at("default_scopes")),
        .pkce_required = record.at("pkce_required").as_bool(),
        .access_token_ttl = std::chrono::seconds{record.at("access_token_ttl").as_int64()},
        .implicit_token_ttl = std::chrono::seconds{record.at("implicit_token_ttl").as_int64()},
        .rotate_refresh_tokens = record.at("rotate_refresh_tokens").as_bool(),
    };
  } catch (const std::exception&) {
    throw Error(SQLITE_CORRUPT, "sqlite: the record of an OAuth client is not valid");
  }
}

}  // namespace

LinkDatabase::LinkDatabase(const LinkStoreOptions& options)
    : pool_(options, [](Database& database) { migrate(database, kSchemaComponent, kSchema); }) {}

// --- pending requests ---

void SqlitePendingRequestStore::create(const PendingRequest& r) {
  db_.run([&](Database& db) {
    execute(db,
            "INSERT INTO pending_requests VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
            "?12, ?13)",
            [&](Statement& s) {
              s.bind(1, r.handle_hash).bind(2, r.csrf_hash).bind(3, r.binding_hash);
              s.bind(4, r.client_id).bind(5, r.redirect_uri).bind(6, r.response_type);
              s.bind(7, r.state).bind(8, r.scope).bind(9, r.code_challenge);
              s.bind(10, r.code_challenge_method).bind(11, millis(r.created_at));
              s.bind(12, millis(r.expires_at)).bind(13, std::int64_t{r.consumed ? 1 : 0});
            });
  });
}

std::optional<PendingRequest> SqlitePendingRequestStore::find(std::string_view handle_hash) {
  return db_.run([&](Database& db) -> std::optional<PendingRequest> {
    auto& s = db.cached("SELECT * FROM pending_requests WHERE handle_hash = ?1");
    ScopedReset reset{s};
    s.bind(1, handle_hash);
    if (!s.step()) return std::nullopt;
    return PendingRequest{.handle_hash = text(s, 0),
                          .csrf_hash = text(s, 1),
                          .binding_hash = text(s, 2),
                          .client_id = text(s, 3),
                          .redirect_uri = text(s, 4),
                          .response_type = text(s, 5),
                          .state = text(s, 6),
                          .scope = text(s, 7),
                          .code_challenge = text(s, 8),
                          .code_challenge_method = text(s, 9),
                          .created_at = time(s.columnInt(10)),
                          .expires_at = time(s.columnInt(11)),
                          .consumed = s.columnInt(12) != 0};
  });
}

bool SqlitePendingRequestStore::replaceCsrf(std::string_view handle_hash,
                                            std::string_view csrf_hash) {
  return db_.run([&](Database& db) {
    return execute(db,
                   "UPDATE pending_requests SET csrf_hash = ?2 WHERE handle_hash = ?1 AND "
                   "consumed = 0",
                   [&](Statement& s) { s.bind(1, handle_hash).bind(2, csrf_hash); }) == 1;
  });
}

bool SqlitePendingRequestStore::consume(std::string_view handle_hash,
                                        system_clock::time_point now) {
  return db_.run([&](Database& db) {
    return execute(db,
                   "UPDATE pending_requests SET consumed = 1 WHERE handle_hash = ?1 AND "
                   "consumed = 0 AND expires_at > ?2",
                   [&](Statement& s) { s.bind(1, handle_hash).bind(2, millis(now)); }) == 1;
  });
}

std::size_t SqlitePendingRequestStore::sweep(system_clock::time_point now) {
  return db_.run([&](Database& db) {
    return static_cast<std::size_t>(execute(db,
                                            "DELETE FROM pending_requests WHERE expires_at < ?1",
                                            [&](Statement& s) { s.bind(1, millis(now)); }));
  });
}

// --- clients ---

std::optional<OAuthClient> SqliteClientStore::find(std::string_view id) {
  return db_.run([&](Database& db) -> std::optional<OAuthClient> {
    auto& s = db.cached("SELECT record FROM oauth_clients WHERE id = ?1");
    ScopedReset reset{s};
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return clientFrom(id, s.columnText(0));
  });
}

void SqliteClientStore::put(const OAuthClient& client) {
  db_.run([&](Database& db) {
    execute(db,
            "INSERT INTO oauth_clients VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET record = "
            "excluded.record",
            [&](Statement& s) { s.bind(1, client.id).bind(2, clientJson(client)); });
  });
}

bool SqliteClientStore::remove(std::string_view id) {
  return db_.run([&](Database& db) {
    return execute(db, "DELETE FROM oauth_clients WHERE id = ?1",
                   [&](Statement& s) { s.bind(1, id); }) == 1;
  });
}

std::vector<OAuthClient> SqliteClientStore::list() {
  return db_.run([&](Database& db) {
    std::vector<OAuthClient> clients;
    auto& s = db.cached("SELECT id, record FROM oauth_clients ORDER BY id");
    ScopedReset reset{s};
    while (s.step()) clients.push_back(clientFrom(s.columnText(0), s.columnText(1)));
    return clients;
  });
}

// --- accounts ---

std::optional<Account> SqliteAccountStore::findByEmail(std::string_view email) {
  return db_.run([&](Database& db) -> std::optional<Account> {
    auto& s = db.cached(
        "SELECT user_id, email, password_hash, created_at FROM accounts WHERE email = ?1");
    ScopedReset reset{s};
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    return Account{.user_id = text(s, 0),
                   .email = text(s, 1),
                   .password_hash = text(s, 2),
                   .created_at = time(s.columnInt(3))};
  });
}

bool SqliteAccountStore::create(const Account& a) {
  return db_.run([&](Database& db) {
    return execute(db,
                   "INSERT INTO accounts (email, user_id, password_hash, created_at) VALUES (?1, "
                   "?2, ?3, ?4) ON CONFLICT (email) DO NOTHING",
                   [&](Statement& s) {
                     s.bind(1, a.email).bind(2, a.user_id).bind(3, a.password_hash);
                     s.bind(4, millis(a.created_at));
                   }) == 1;
  });
}

void SqliteAccountStore::updatePasswordHash(std::string_view email,
                                            std::string_view password_hash) {
  db_.run([&](Database& db) {
    execute(db, "UPDATE accounts SET password_hash = ?2 WHERE email = ?1",
            [&](Statement& s) { s.bind(1, email).bind(2, password_hash); });
  });
}

bool SqliteAccountStore::remove(std::string_view email, std::string_view user_id) {
  return db_.run([&](Database& db) {
    return execute(db, "DELETE FROM accounts WHERE email = ?1 AND user_id = ?2",
                   [&](Statement& s) { s.bind(1, email).bind(2, user_id); }) == 1;
  });
}

// --- grants ---

void SqliteGrantStore::createFamily(const GrantFamily& f) {
  db_.run([&](Database& db) {
    execute(db, "INSERT INTO grant_families VALUES (?1, ?2, ?3, ?4, ?5, ?6)", [&](Statement& s) {
      s.bind(1, f.id).bind(2, f.client_id).bind(3, f.user_id).bind(4, f.scope);
      s.bind(5, millis(f.created_at));
      bindTime(s, 6, f.revoked_at);
    });
  });
}

std::optional<GrantFamily> SqliteGrantStore::findFamily(std::string_view id) {
  return db_.run([&](Database& db) -> std::optional<GrantFamily> {
    auto& s = db.cached("SELECT * FROM grant_families WHERE id = ?1");
    ScopedReset reset{s};
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return familyFrom(s, 0);
  });
}

bool SqliteGrantStore::revokeFamily(std::string_view id, TimePoint now) {
  return db_.run([&](Database& db) {
    return execute(db,
                   "UPDATE grant_families SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                   [&](Statement& s) { s.bind(1, id).bind(2, millis(now)); }) == 1;
  });
}

std::size_t SqliteGrantStore::revokeFamiliesOf(std::string_view user_id, std::string_view client_id,
                                               TimePoint now) {
  return db_.run([&](Database& db) {
    return static_cast<std::size_t>(
        execute(db,
                "UPDATE grant_families SET revoked_at = ?3 WHERE user_id = ?1 AND revoked_at IS "
                "NULL AND (?2 = '' OR client_id = ?2)",
                [&](Statement& s) { s.bind(1, user_id).bind(2, client_id).bind(3, millis(now)); }));
  });
}

void SqliteGrantStore::createCode(const AuthorizationCode& c) {
  db_.run([&](Database& db) {
    execute(db,
            "INSERT INTO authorization_codes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            [&](Statement& s) {
              s.bind(1, c.hash).bind(2, c.family_id).bind(3, c.client_id).bind(4, c.user_id);
              s.bind(5, c.redirect_uri).bind(6, c.scope).bind(7, c.code_challenge);
              s.bind(8, c.code_challenge_method).bind(9, millis(c.created_at));
              s.bind(10, millis(c.expires_at));
              bindTime(s, 11, c.consumed_at);
            });
  });
}

std::optional<AuthorizationCode> SqliteGrantStore::findCode(std::string_view hash) {
  return db_.run([&](Database& db) -> std::optional<AuthorizationCode> {
    auto& s = db.cached("SELECT * FROM authorization_codes WHERE hash = ?1");
    ScopedReset reset{s};
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return AuthorizationCode{.hash = text(s, 0),
                             .family_id = text(s, 1),
                             .client_id = text(s, 2),
                             .user_id = text(s, 3),
                             .redirect_uri = text(s, 4),
                             .scope = text(s, 5),
                             .code_challenge = text(s, 6),
                             .code_challenge_method = text(s, 7),
                             .created_at = time(s.columnInt(8)),
                             .expires_at = time(s.columnInt(9)),
                             .consumed_at = optionalTime(s, 10)};
  });
}

bool SqliteGrantStore::consumeCode(std::string_view hash, TimePoint now) {
  return db_.run([&](Database& db) {
    return execute(db,
                   "UPDATE authorization_codes SET consumed_at = ?2 WHERE hash = ?1 AND "
                   "consumed_at IS NULL",
                   [&](Statement& s) { s.bind(1, hash).bind(2, millis(now)); }) == 1;
  });
}

void SqliteGrantStore::createAccessToken(const AccessToken& t) {
  db_.run([&](Database& db) {
    execute(db, "INSERT INTO access_tokens VALUES (?1, ?2, ?3, ?4, ?5, ?6)", [&](Statement& s) {
      s.bind(1, t.hash).bind(2, t.family_id).bind(3, millis(t.created_at));
      bindTime(s, 4, t.expires_at);
      s.bind(5, std::int64_t{t.revoked ? 1 : 0}).bind(6, t.user_id);
    });
  });
}

std::optional<AccessToken> SqliteGrantStore::findAccessToken(std::string_view hash) {
  return db_.run([&](Database& db) -> std::optional<AccessToken> {
    auto& s = db.cached("SELECT * FROM access_tokens WHERE hash = ?1");
    ScopedReset reset{s};
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return accessTokenFrom(s, 0);
  });
}

std::optional<AccessGrant> SqliteGrantStore::findAccessGrant(std::string_view hash) {
  return db_.run([&](Database& db) -> std::optional<AccessGrant> {
    auto& s = db.cached(
        "SELECT t.*, f.* FROM access_tokens t JOIN grant_families f ON f.id = t.family_id "
        "WHERE t.hash = ?1");
    ScopedReset reset{s};
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return AccessGrant{.token = accessTokenFrom(s, 0), .family = familyFrom(s, kAccessColumns)};
  });
}

std::optional<AccessGrantWithUser> SqliteGrantStore::findAccessGrantWithUser(std::string_view hash,
                                                                             UserStore& users,
                                                                             TimePoint now) {
  const auto* sqlite_users = dynamic_cast<const SqliteUserStore*>(&users);
  if (sqlite_users == nullptr || !sameFile(sqlite_users->path(), db_.path())) {
    return GrantStore::findAccessGrantWithUser(hash, users, now);
  }
  // One statement is one read transaction: the user is read from the same snapshot, and every
  // skill request takes one shared lock on the WAL index instead of two.
  return db_.run([&](Database& db) -> std::optional<AccessGrantWithUser> {
    auto& s = db.cached(
        "SELECT t.*, f.*, u.email, u.created_at, u.attributes FROM access_tokens t"
        " JOIN grant_families f ON f.id = t.family_id LEFT JOIN users u ON u.id = f.user_id"
        " WHERE t.hash = ?1");
    ScopedReset reset{s};
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    AccessGrantWithUser found{
        .grant = {.token = accessTokenFrom(s, 0), .family = familyFrom(s, kAccessColumns)},
        .user = std::nullopt};
    constexpr int kUserColumns = kAccessColumns + kFamilyColumns;
    if (found.grant.liveAt(now) && !s.columnIsNull(kUserColumns)) {
      found.user = userFromRow(s, kUserColumns, found.grant.family.user_id, db_.path());
    }
    return found;
  });
}

bool SqliteGrantStore::revokeAccessToken(std::string_view hash) {
  return db_.run([&](Database& db) {
    return execute(db, "UPDATE access_tokens SET revoked = 1 WHERE hash = ?1 AND revoked = 0",
                   [&](Statement& s) { s.bind(1, hash); }) == 1;
  });
}

void SqliteGrantStore::createRefreshToken(const RefreshToken& t) {
  db_.run([&](Database& db) {
    execute(db, "INSERT INTO refresh_tokens VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            [&](Statement& s) {
              s.bind(1, t.hash).bind(2, t.family_id).bind(3, t.parent_hash);
              s.bind(4, millis(t.created_at));
              bindTime(s, 5, t.first_used_at);
              bindTime(s, 6, t.revoke_after);
              s.bind(7, std::int64_t{t.revoked ? 1 : 0});
            });
  });
}

namespace {
RefreshToken refreshFrom(const Statement& s) {
  return RefreshToken{.hash = text(s, 0),
                      .family_id = text(s, 1),
                      .parent_hash = text(s, 2),
                      .created_at = time(s.columnInt(3)),
                      .first_used_at = optionalTime(s, 4),
                      .revoke_after = optionalTime(s, 5),
                      .revoked = s.columnInt(6) != 0};
}
}  // namespace

std::optional<RefreshToken> SqliteGrantStore::findRefreshToken(std::string_view hash) {
  return db_.run([&](Database& db) -> std::optional<RefreshToken> {
    auto& s = db.cached("SELECT * FROM refresh_tokens WHERE hash = ?1");
    ScopedReset reset{s};
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return refreshFrom(s);
  });
}

void SqliteGrantStore::updateRefreshToken(const RefreshToken& t) {
  db_.run([&](Database& db) {
    execute(db,
            "UPDATE refresh_tokens SET first_used_at = ?2, revoke_after = ?3, revoked = ?4 WHERE "
            "hash = ?1",
            [&](Statement& s) {
              s.bind(1, t.hash);
              bindTime(s, 2, t.first_used_at);
              bindTime(s, 3, t.revoke_after);
              s.bind(4, std::int64_t{t.revoked ? 1 : 0});
            });
  });
}

std::vector<RefreshToken> SqliteGrantStore::refreshChildren(std::string_view parent_hash) {
  return db_.run([&](Database& db) {
    std::vector<RefreshToken> children;
    auto& s = db.cached("SELECT * FROM refresh_tokens WHERE parent_hash = ?1 ORDER BY created_at");
    ScopedReset reset{s};
    s.bind(1, parent_hash);
    while (s.step()) children.push_back(refreshFrom(s));
    return children;
  });
}

std::size_t SqliteGrantStore::sweep(TimePoint now, TimePoint revoked_before) {
  return db_.run([&](Database& db) {
    Transaction transaction{db, Transaction::Behavior::kImmediate};
    auto both = [&](Statement& s) { s.bind(1, millis(now)).bind(2, millis(revoked_before)); };
    auto at_now = [&](Statement& s) { s.bind(1, millis(now)); };
    auto before = [&](Statement& s) { s.bind(1, millis(revoked_before)); };
    std::size_t removed = 0;
    removed += execute(db, "DELETE FROM authorization_codes WHERE expires_at < ?1", at_now);
    removed += execute(db,
                       "DELETE FROM access_tokens WHERE expires_at < ?1 OR family_id IN "
                       "(SELECT id FROM grant_families WHERE revoked_at < ?2)",
                       both);
    removed += execute(db,
                       "DELETE FROM refresh_tokens WHERE family_id IN "
                       "(SELECT id FROM grant_families WHERE revoked_at < ?1)",
                       before);
    removed += execute(db, "DELETE FROM grant_families WHERE revoked_at < ?1", before);
    transaction.commit();
    return removed;
  });
}

// --- Alexa users ---

std::optional<AlexaUser> SqliteAlexaUserStore::find(std::string_view alexa_user_id) {
  return db_.run([&](Database& db) -> std::optional<AlexaUser> {
    auto& s = db.cached("SELECT user_id, client_id FROM alexa_users WHERE alexa_user_id = ?1");
    ScopedReset reset{s};
    s.bind(1, alexa_user_id);
    if (!s.step()) return std::nullopt;
    return AlexaUser{.alexa_user_id = std::string{alexa_user_id},
                     .user_id = text(s, 0),
                     .client_id = text(s, 1)};
  });
}

void SqliteAlexaUserStore::put(const AlexaUser& a) {
  db_.run([&](Database& db) {
    execute(
        db,
        "INSERT INTO alexa_users VALUES (?1, ?2, ?3) ON CONFLICT (alexa_user_id) DO UPDATE SET "
        "user_id = excluded.user_id, client_id = excluded.client_id",
        [&](Statement& s) { s.bind(1, a.alexa_user_id).bind(2, a.user_id).bind(3, a.client_id); });
  });
}

bool SqliteAlexaUserStore::remove(std::string_view alexa_user_id) {
  return db_.run([&](Database& db) {
    return execute(db, "DELETE FROM alexa_users WHERE alexa_user_id = ?1",
                   [&](Statement& s) { s.bind(1, alexa_user_id); }) == 1;
  });
}

std::size_t SqliteAlexaUserStore::removeLinksTo(std::string_view user_id) {
  return db_.run([&](Database& db) {
    return static_cast<std::size_t>(execute(db, "DELETE FROM alexa_users WHERE user_id = ?1",
                                            [&](Statement& s) { s.bind(1, user_id); }));
  });
}

// --- throttle counters ---

ThrottleCounter SqliteThrottleStore::hit(std::string_view key, std::chrono::seconds window,
                                         ThrottleWindow kind, system_clock::time_point now) {
  return db_.run([&](Database& db) {
    Transaction transaction{db, Transaction::Behavior::kImmediate};
    ThrottleCounter counter{0, now, now};
    {
      auto& s = db.cached("SELECT count, window_start, last FROM throttle_counters WHERE key = ?1");
      ScopedReset reset{s};
      s.bind(1, key);
      if (s.step()) {
        ThrottleCounter stored{static_cast<std::uint32_t>(s.columnInt(0)), time(s.columnInt(1)),
                               time(s.columnInt(2))};
        auto since = kind == ThrottleWindow::kFixed ? stored.window_start : stored.last;
        if (now - since < window) counter = stored;
      }
    }
    ++counter.count;
    counter.last = now;
    execute(db,
            "INSERT INTO throttle_counters VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE "
            "SET count = excluded.count, window_start = excluded.window_start, last = "
            "excluded.last",
            [&](Statement& s) {
              s.bind(1, key).bind(2, std::int64_t{counter.count});
              s.bind(3, millis(counter.window_start)).bind(4, millis(counter.last));
            });
    transaction.commit();
    return counter;
  });
}

std::optional<ThrottleCounter> SqliteThrottleStore::get(std::string_view key) {
  return db_.run([&](Database& db) -> std::optional<ThrottleCounter> {
    auto& s = db.cached("SELECT count, window_start, last FROM throttle_counters WHERE key = ?1");
    ScopedReset reset{s};
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return ThrottleCounter{static_cast<std::uint32_t>(s.columnInt(0)), time(s.columnInt(1)),
                           time(s.columnInt(2))};
  });
}

void SqliteThrottleStore::reset(std::string_view key) {
  db_.run([&](Database& db) {
    execute(db, "DELETE FROM throttle_counters WHERE key = ?1",
            [&](Statement& s) { s.bind(1, key); });
  });
}

std::size_t SqliteThrottleStore::sweep(system_clock::time_point before) {
  return db_.run([&](Database& db) {
    return static_cast<std::size_t>(execute(db, "DELETE FROM throttle_counters WHERE last < ?1",
                                            [&](Statement& s) { s.bind(1, millis(before)); }));
  });
}

}  // namespace parley::storage::sqlite
