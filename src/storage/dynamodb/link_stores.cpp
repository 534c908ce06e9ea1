#include "parley/storage/dynamodb/link_stores.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <functional>
#include <random>
#include <set>

#include "parley/aws/attribute_value.hpp"
#include "parley/storage/dynamodb/tables.hpp"
#include "parley/storage/dynamodb/user_store.hpp"

namespace parley::storage::dynamodb {
namespace {

namespace json = boost::json;
using aws::Item;
using std::chrono::system_clock;
using Kind = StorageError::Kind;

// DynamoDB refuses empty keys and keys over 2048 bytes: such ids are never found, never stored.
constexpr std::size_t kMaxKeyBytes = 2048;
bool storableKey(std::string_view key) { return !key.empty() && key.size() <= kMaxKeyBytes; }

void checkKey(std::string_view key, std::string_view what) {
  if (!storableKey(key)) {
    throw StorageError(Kind::kInternal,
                       std::string(what) + " must be 1 to 2048 bytes to be stored in DynamoDB");
  }
}

std::int64_t millis(system_clock::time_point time) {
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

system_clock::time_point fromMillis(std::int64_t value) {
  return system_clock::time_point{
      std::chrono::duration_cast<system_clock::duration>(std::chrono::milliseconds{value})};
}

json::value attrTime(system_clock::time_point time) { return aws::attrN(millis(time)); }

// TTL wants epoch seconds; rounding up never lets DynamoDB delete an item before it expired.
json::value attrTtl(system_clock::time_point expires) {
  return aws::attrN(std::chrono::ceil<std::chrono::seconds>(expires.time_since_epoch()).count());
}

json::value attrBool(bool value) { return {{"BOOL", value}}; }

json::value attrList(const std::vector<std::string>& items) {
  json::array list;
  for (const auto& item : items) list.push_back(aws::attrS(item));
  return {{"L", std::move(list)}};
}

Item keyOf(std::string_view id) { return {{"id", aws::attrS(id)}}; }

// 128 random bits in hex: marks a conditional update as ours (see Table::update).
std::string randomNonce() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> bits;
  std::string out;
  for (int word = 0; word < 2; ++word) {
    auto value = bits(device);
    for (int nibble = 0; nibble < 16; ++nibble, value >>= 4U) {
      out += "0123456789abcdef"[value & 0xFU];
    }
  }
  return out;
}

// The placeholders of one request's expressions: every attribute as #name (many of ours, such
// as state, scope, count and ttl, are reserved words) and every value as :vN.
class Expression {
 public:
  std::string name(std::string_view attribute) {
    std::string placeholder = "#" + std::string(attribute);
    names_[placeholder] = attribute;
    return placeholder;
  }
  std::string value(json::value value) {
    std::string placeholder = ":v" + std::to_string(values_.size());
    values_[placeholder] = std::move(value);
    return placeholder;
  }
  const json::object& names() const { return names_; }
  const json::object& values() const { return values_; }

 private:
  json::object names_;
  json::object values_;
};

// Typed reads of a stored item: anything missing or of another type is corruption.
class Reader {
 public:
  Reader(const Item& item, const std::string& table) : item_(item), table_(table) {}

  std::string text(std::string_view name) const {
    return std::string(typed(name, "S").get_string());
  }
  std::string optionalText(std::string_view name) const {
    return item_.contains(name) ? text(name) : std::string{};
  }
  bool flag(std::string_view name) const { return typed(name, "BOOL").get_bool(); }
  std::int64_t number(std::string_view name) const {
    auto number = aws::parseNumber(typed(name, "N").get_string());
    if (!number || !number->is_int64()) throw corrupt(name);
    return number->get_int64();
  }
  system_clock::time_point time(std::string_view name) const { return fromMillis(number(name)); }
  std::optional<system_clock::time_point> optionalTime(std::string_view name) const {
    if (!item_.contains(name)) return std::nullopt;
    return time(name);
  }
  std::vector<std::string> texts(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& element : typed(name, "L").get_array()) {
      const auto* text = element.is_object() ? element.get_object().if_contains("S") : nullptr;
      if (text == nullptr || !text->is_string()) throw corrupt(name);
      out.emplace_back(text->get_string());
    }
    return out;
  }

 private:
  const json::value& typed(std::string_view name, std::string_view type) const {
    const auto* attribute = item_.if_contains(name);
    const auto* value = attribute != nullptr && attribute->is_object()
                            ? attribute->get_object().if_contains(type)
                            : nullptr;
    const bool fits = value != nullptr && (type == "BOOL" ? value->is_bool()
                                           : type == "L"  ? value->is_array()
                                                          : value->is_string());
    if (!fits) throw corrupt(name);
    return *value;
  }
  StorageError corrupt(std::string_view name) const {
    return {Kind::kCorrupt, "DynamoDB item in " + table_ + " is corrupt: " + std::string(name)};
  }

  const Item& item_;
  const std::string& table_;
};

// One table's item operations, DynamoDB errors turned into StorageError.
class Table {
 public:
  Table(aws::DynamoDbClient& client, const std::string& name) : client_(client), name_(name) {}

  std::optional<Item> get(std::string_view id) const {
    if (!storableKey(id)) return std::nullopt;
    auto item = client_.getItem(name_, keyOf(id), true);
    if (!item) throw toStorageError(item.error(), "get from " + name_);
    return *item;
  }

  // Stores `item` unless its id exists; false then. A put whose answer was lost is retried by
  // the client into ConditionalCheckFailed: reading our item back tells that case apart.
  bool putNew(const Item& item) const {
    Expression e;
    auto put = client_.putItem({.table = name_,
                                .item = item,
                                .condition = "attribute_not_exists(" + e.name("id") + ")",
                                .names = e.names(),
                                .values = {}});
    if (put) return true;
    if (put.error().error != aws::Error::kConditionalCheckFailed) {
      throw toStorageError(put.error(), "put into " + name_);
    }
    return put.error().attempts > 1 && get(item.at("id").at("S").get_string()) == item;
  }

  void put(const Item& item) const {
    auto put = client_.putItem({.table = name_, .item = item});
    if (!put) throw toStorageError(put.error(), "put into " + name_);
  }

  // Applies `update` when `condition` holds: the updated item, or nothing when it did not hold.
  // `landed` recognizes in the item read back an update of ours whose answer was lost (putNew).
  std::optional<Item> update(std::string_view id, const std::string& update,
                             const std::string& condition, const Expression& e,
                             const std::function<bool(const Item&)>& landed = {}) const {
    auto updated = client_.updateItem({.table = name_,
                                       .key = keyOf(id),
                                       .update = update,
                                       .condition = condition,
                                       .names = e.names(),
                                       .values = e.values(),
                                       .return_values = "ALL_NEW"});
    if (updated) return updated->value_or(Item{});
    if (updated.error().error != aws::Error::kConditionalCheckFailed) {
      throw toStorageError(updated.error(), "update in " + name_);
    }
    if (landed && updated.error().attempts > 1) {
      auto stored = get(id);
      if (stored && landed(*stored)) return stored;
    }
    return std::nullopt;
  }

  // Deletes the item when `condition` holds (always when it is empty); false when it did not.
  bool remove(std::string_view id, const std::string& condition = {},
              const Expression& e = {}) const {
    auto removed = client_.deleteItem({.table = name_,
                                       .key = keyOf(id),
                                       .condition = condition,
                                       .names = e.names(),
                                       .values = e.values()});
    if (removed) return true;
    if (removed.error().error == aws::Error::kConditionalCheckFailed) return false;
    throw toStorageError(removed.error(), "delete from " + name_);
  }

  // Deletes the items that still exist; how many did.
  std::size_t removeExisting(const std::vector<std::string>& ids) const {
    std::size_t removed = 0;
    for (const auto& id : ids) {
      Expression e;
      if (remove(id, "attribute_exists(" + e.name("id") + ")", e)) ++removed;
    }
    return removed;
  }

  std::vector<Item> query(aws::QueryRequest request) const {
    request.table = name_;
    std::vector<Item> items;
    do {
      auto page = client_.query(request);
      if (!page) throw toStorageError(page.error(), "query " + name_);
      for (auto& item : page->items) items.push_back(std::move(item));
      request.exclusive_start_key = std::move(page->last_evaluated_key);
    } while (request.exclusive_start_key);
    return items;
  }

  // Every item matching `filter` (all when empty), page by page.
  std::vector<Item> scan(const std::string& filter = {}, const Expression& e = {}) const {
    json::object request{{"TableName", name_}, {"ConsistentRead", true}};
    if (!filter.empty()) request["FilterExpression"] = filter;
    if (!e.names().empty()) request["ExpressionAttributeNames"] = e.names();
    if (!e.values().empty()) request["ExpressionAttributeValues"] = e.values();
    std::vector<Item> items;
    while (true) {
      auto page = client_.call("Scan", request);
      if (!page) throw toStorageError(page.error(), "scan " + name_);
      if (const auto* found = page->if_contains("Items"); found != nullptr && found->is_array()) {
        for (const auto& item : found->get_array()) {
          if (item.is_object()) items.push_back(item.get_object());
        }
      }
      const auto* last = page->if_contains("LastEvaluatedKey");
      if (last == nullptr || !last->is_object()) return items;
      request["ExclusiveStartKey"] = *last;
    }
  }

  // Deletes the items for which `condition` holds, checked again on each delete.
  std::size_t removeWhere(const std::function<std::string(Expression&)>& condition) const {
    Expression filter;
    auto expression = condition(filter);
    std::size_t removed = 0;
    for (const auto& item : scan(expression, filter)) {
      Expression e;
      auto check = condition(e);
      if (remove(Reader(item, name_).text("id"), check, e)) ++removed;
    }
    return removed;
  }

  const std::string& name() const { return name_; }

 private:
  aws::DynamoDbClient& client_;
  const std::string& name_;
};

std::function<bool(const Item&)> carries(std::string nonce) {
  return [nonce = std::move(nonce)](const Item& item) {
    const auto* by = item.if_contains("consumedBy");
    return by != nullptr && *by == aws::attrS(nonce);
  };
}

// --- items ---

Item toItem(const PendingRequest& r) {
  return {{"id", aws::attrS(r.handle_hash)},
          {"csrfHash", aws::attrS(r.csrf_hash)},
          {"bindingHash", aws::attrS(r.binding_hash)},
          {"clientId", aws::attrS(r.client_id)},
          {"redirectUri", aws::attrS(r.redirect_uri)},
          {"responseType", aws::attrS(r.response_type)},
          {"state", aws::attrS(r.state)},
          {"scope", aws::attrS(r.scope)},
          {"codeChallenge", aws::attrS(r.code_challenge)},
          {"codeChallengeMethod", aws::attrS(r.code_challenge_method)},
          {"createdAt", attrTime(r.created_at)},
          {"expiresAt", attrTime(r.expires_at)},
          {"consumed", attrBool(r.consumed)},
          {"ttl", attrTtl(r.expires_at)}};
}

PendingRequest pendingFrom(const Reader& r) {
  return PendingRequest{.handle_hash = r.text("id"),
                        .csrf_hash = r.text("csrfHash"),
                        .binding_hash = r.text("bindingHash"),
                        .client_id = r.text("clientId"),
                        .redirect_uri = r.text("redirectUri"),
                        .response_type = r.text("responseType"),
                        .state = r.text("state"),
                        .scope = r.text("scope"),
                        .code_challenge = r.text("codeChallenge"),
                        .code_challenge_method = r.text("codeChallengeMethod"),
                        .created_at = r.time("createdAt"),
                        .expires_at = r.time("expiresAt"),
                        .consumed = r.flag("consumed")};
}

Item toItem(const OAuthClient& c) {
  return {{"id", aws::attrS(c.id)},
          {"secretHash", aws::attrS(c.secret_hash)},
          {"name", aws::attrS(c.name)},
          {"redirectUris", attrList(c.redirect_uris)},
          {"responseTypes", attrList(c.response_types)},
          {"authMethods", attrList(c.auth_methods)},
          {"allowedScopes", attrList(c.allowed_scopes)},
          {"defaultScopes", attrList(c.default_scopes)},
          {"pkceRequired", attrBool(c.pkce_required)},
          {"accessTokenTtl", aws::attrN(c.access_token_ttl.count())},
          {"implicitTokenTtl", aws::attrN(c.implicit_token_ttl.count())},
          {"rotateRefreshTokens", attrBool(c.rotate_refresh_tokens)}};
}

OAuthClient clientFrom(const Reader& r) {
  return OAuthClient{.id = r.text("id"),
                     .secret_hash = r.text("secretHash"),
                     .name = r.text("name"),
                     .redirect_uris = r.texts("redirectUris"),
                     .response_types = r.texts("responseTypes"),
                     .auth_methods = r.texts("authMethods"),
                     .allowed_scopes = r.texts("allowedScopes"),
                     .default_scopes = r.texts("defaultScopes"),
                     .pkce_required = r.flag("pkceRequired"),
                     .access_token_ttl = std::chrono::seconds{r.number("accessTokenTtl")},
                     .implicit_token_ttl = std::chrono::seconds{r.number("implicitTokenTtl")},
                     .rotate_refresh_tokens = r.flag("rotateRefreshTokens")};
}

Item toItem(const GrantFamily& f) {
  Item item{{"id", aws::attrS(f.id)},
            {"clientId", aws::attrS(f.client_id)},
            {"userId", aws::attrS(f.user_id)},
            {"scope", aws::attrS(f.scope)},
            {"createdAt", attrTime(f.created_at)}};
  if (f.revoked_at) item["revokedAt"] = attrTime(*f.revoked_at);
  return item;
}

GrantFamily familyFrom(const Reader& r) {
  return GrantFamily{.id = r.text("id"),
                     .client_id = r.text("clientId"),
                     .user_id = r.text("userId"),
                     .scope = r.text("scope"),
                     .created_at = r.time("createdAt"),
                     .revoked_at = r.optionalTime("revokedAt")};
}

Item toItem(const AuthorizationCode& c) {
  Item item{{"id", aws::attrS(c.hash)},
            {"familyId", aws::attrS(c.family_id)},
            {"clientId", aws::attrS(c.client_id)},
            {"userId", aws::attrS(c.user_id)},
            {"redirectUri", aws::attrS(c.redirect_uri)},
            {"scope", aws::attrS(c.scope)},
            {"codeChallenge", aws::attrS(c.code_challenge)},
            {"codeChallengeMethod", aws::attrS(c.code_challenge_method)},
            {"createdAt", attrTime(c.created_at)},
            {"expiresAt", attrTime(c.expires_at)},
            {"ttl", attrTtl(c.expires_at)}};
  if (c.consumed_at) item["consumedAt"] = attrTime(*c.consumed_at);
  return item;
}

AuthorizationCode codeFrom(const Reader& r) {
  return AuthorizationCode{.hash = r.text("id"),
                           .family_id = r.text("familyId"),
                           .client_id = r.text("clientId"),
                           .user_id = r.text("userId"),
                           .redirect_uri = r.text("redirectUri"),
                           .scope = r.text("scope"),
                           .code_challenge = r.text("codeChallenge"),
                           .code_challenge_method = r.text("codeChallengeMethod"),
                           .created_at = r.time("createdAt"),
                           .expires_at = r.time("expiresAt"),
                           .consumed_at = r.optionalTime("consumedAt")};
}

Item toItem(const AccessToken& t) {
  Item item{{"id", aws::attrS(t.hash)},
            {"familyId", aws::attrS(t.family_id)},
            {"createdAt", attrTime(t.created_at)},
            {"revoked", attrBool(t.revoked)}};
  if (!t.user_id.empty()) item["userId"] = aws::attrS(t.user_id);
  if (t.expires_at) {
    item["expiresAt"] = attrTime(*t.expires_at);
    item["ttl"] = attrTtl(*t.expires_at);
  }
  return item;
}

AccessToken accessFrom(const Reader& r) {
  return AccessToken{.hash = r.text("id"),
                     .family_id = r.text("familyId"),
                     .user_id = r.optionalText("userId"),  // absent on tokens issued before it
                     .created_at = r.time("createdAt"),
                     .expires_at = r.optionalTime("expiresAt"),
                     .revoked = r.flag("revoked")};
}

// A refresh token lives until its family is swept; one retired by rotation (revoke_after) is
// dead after that instant, so TTL may delete it then.
Item toItem(const RefreshToken& t) {
  Item item{{"id", aws::attrS(t.hash)},
            {"familyId", aws::attrS(t.family_id)},
            {"createdAt", attrTime(t.created_at)},
            {"revoked", attrBool(t.revoked)}};
  // Index keys may not be empty strings; a token without parent is simply not in by-parent.
  if (!t.parent_hash.empty()) item["parentHash"] = aws::attrS(t.parent_hash);
  if (t.first_used_at) item["firstUsedAt"] = attrTime(*t.first_used_at);
  if (t.revoke_after) {
    item["revokeAfter"] = attrTime(*t.revoke_after);
    item["ttl"] = attrTtl(*t.revoke_after);
  }
  return item;
}

RefreshToken refreshFrom(const Reader& r) {
  return RefreshToken{.hash = r.text("id"),
                      .family_id = r.text("familyId"),
                      .parent_hash = r.optionalText("parentHash"),
                      .created_at = r.time("createdAt"),
                      .first_used_at = r.optionalTime("firstUsedAt"),
                      .revoke_after = r.optionalTime("revokeAfter"),
                      .revoked = r.flag("revoked")};
}

ThrottleCounter counterFrom(const Reader& r) {
  return ThrottleCounter{.count = static_cast<std::uint32_t>(r.number("count")),
                         .window_start = r.time("windowStart"),
                         .last = r.time("last")};
}

template <class Record, class Parse>
std::optional<Record> findIn(const Table& table, std::string_view id, Parse parse) {
  auto item = table.get(id);
  if (!item) return std::nullopt;
  return parse(Reader(*item, table.name()));
}

void createIn(const Table& table, const Item& item, std::string_view what) {
  const auto& id = item.at("id").at("S").get_string();
  checkKey(id, what);
  if (!table.putNew(item)) {
    throw StorageError(Kind::kInternal, std::string(what) + " exists already in " + table.name());
  }
}

}  // namespace

// --- pending requests ---

DynamoDbPendingRequestStore::DynamoDbPendingRequestStore(aws::DynamoDbClient& client,
                                                         const LinkStoreOptions& options)
    : client_(client), table_(tableName(options.table_prefix, kPendingRequestsEntity)) {}

void DynamoDbPendingRequestStore::create(const PendingRequest& request) {
  createIn(Table(client_, table_), toItem(request), "a pending request's handle hash");
}

std::optional<PendingRequest> DynamoDbPendingRequestStore::find(std::string_view handle_hash) {
  return findIn<PendingRequest>(Table(client_, table_), handle_hash, pendingFrom);
}

bool DynamoDbPendingRequestStore::replaceCsrf(std::string_view handle_hash,
                                              std::string_view csrf_hash) {
  if (!storableKey(handle_hash)) return false;
  Expression e;
  auto update = "SET " + e.name("csrfHash") + " = " + e.value(aws::attrS(csrf_hash));
  auto condition = "attribute_exists(" + e.name("id") + ") AND " + e.name("consumed") + " = " +
                   e.value(attrBool(false));
  return Table(client_, table_).update(handle_hash, update, condition, e).has_value();
}

bool DynamoDbPendingRequestStore::consume(std::string_view handle_hash,
                                          system_clock::time_point now) {
  if (!storableKey(handle_hash)) return false;
  auto nonce = randomNonce();
  Expression e;
  auto update = "SET " + e.name("consumed") + " = " + e.value(attrBool(true)) + ", " +
                e.name("consumedBy") + " = " + e.value(aws::attrS(nonce));
  auto condition = "attribute_exists(" + e.name("id") + ") AND " + e.name("consumed") + " = " +
                   e.value(attrBool(false)) + " AND " + e.name("expiresAt") + " > " +
                   e.value(attrTime(now));
  return Table(client_, table_)
      .update(handle_hash, update, condition, e, carries(nonce))
      .has_value();
}

std::size_t DynamoDbPendingRequestStore::sweep(system_clock::time_point now) {
  return Table(client_, table_).removeWhere([now](Expression& e) {
    return e.name("expiresAt") + " < " + e.value(attrTime(now));
  });
}

// --- clients ---

DynamoDbClientStore::DynamoDbClientStore(aws::DynamoDbClient& client,
                                         const LinkStoreOptions& options)
    : client_(client), table_(tableName(options.table_prefix, kClientsEntity)) {}

std::optional<OAuthClient> DynamoDbClientStore::find(std::string_view id) {
  return findIn<OAuthClient>(Table(client_, table_), id, clientFrom);
}

void DynamoDbClientStore::put(const OAuthClient& client) {
  checkKey(client.id, "a client id");
  Table(client_, table_).put(toItem(client));
}

bool DynamoDbClientStore::remove(std::string_view id) {
  if (!storableKey(id)) return false;
  Expression e;
  return Table(client_, table_).remove(id, "attribute_exists(" + e.name("id") + ")", e);
}

std::vector<OAuthClient> DynamoDbClientStore::list() {
  Table table(client_, table_);
  std::vector<OAuthClient> clients;
  for (const auto& item : table.scan()) clients.push_back(clientFrom(Reader(item, table_)));
  std::sort(clients.begin(), clients.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return clients;
}

// --- accounts ---

DynamoDbAccountStore::DynamoDbAccountStore(aws::DynamoDbClient& client,
                                           const LinkStoreOptions& options)
    : client_(client), table_(tableName(options.table_prefix, kAccountsEntity)) {}

std::optional<Account> DynamoDbAccountStore::findByEmail(std::string_view email) {
  return findIn<Account>(Table(client_, table_), email, [](const Reader& r) {
    return Account{.user_id = r.text("userId"),
                   .email = r.text("id"),
                   .password_hash = r.text("passwordHash"),
                   .created_at = r.time("createdAt")};
  });
}

bool DynamoDbAccountStore::create(const Account& account) {
  checkKey(account.email, "an e-mail address");
  return Table(client_, table_)
      .putNew({{"id", aws::attrS(account.email)},
               {"userId", aws::attrS(account.user_id)},
               {"passwordHash", aws::attrS(account.password_hash)},
               {"createdAt", attrTime(account.created_at)}});
}

void DynamoDbAccountStore::updatePasswordHash(std::string_view email,
                                              std::string_view password_hash) {
  if (!storableKey(email)) return;
  Expression e;
  auto update = "SET " + e.name("passwordHash") + " = " + e.value(aws::attrS(password_hash));
  Table(client_, table_).update(email, update, "attribute_exists(" + e.name("id") + ")", e);
}

bool DynamoDbAccountStore::remove(std::string_view email, std::string_view user_id) {
  if (!storableKey(email)) return false;
  Expression e;
  auto condition = e.name("userId") + " = " + e.value(aws::attrS(user_id));
  return Table(client_, table_).remove(email, condition, e);
}

// --- grants ---

DynamoDbGrantStore::DynamoDbGrantStore(aws::DynamoDbClient& client, const LinkStoreOptions& options)
    : client_(client),
      families_(tableName(options.table_prefix, kGrantsEntity)),
      codes_(tableName(options.table_prefix, kCodesEntity)),
      access_tokens_(tableName(options.table_prefix, kAccessTokensEntity)),
      refresh_tokens_(tableName(options.table_prefix, kRefreshTokensEntity)) {}

void DynamoDbGrantStore::createFamily(const GrantFamily& family) {
  checkKey(family.user_id, "a user id");
  createIn(Table(client_, families_), toItem(family), "a grant family id");
}

std::optional<GrantFamily> DynamoDbGrantStore::findFamily(std::string_view id) {
  return findIn<GrantFamily>(Table(client_, families_), id, familyFrom);
}

bool DynamoDbGrantStore::revokeFamily(std::string_view id, TimePoint now) {
  if (!storableKey(id)) return false;
  Expression e;
  auto update = "SET " + e.name("revokedAt") + " = " + e.value(attrTime(now));
  auto condition = "attribute_exists(" + e.name("id") + ") AND attribute_not_exists(" +
                   e.name("revokedAt") + ")";
  return Table(client_, families_).update(id, update, condition, e).has_value();
}

std::size_t DynamoDbGrantStore::revokeFamiliesOf(std::string_view user_id,
                                                 std::string_view client_id, TimePoint now) {
  if (!storableKey(user_id)) return 0;
  Expression e;
  aws::QueryRequest request{
      .index = std::string(kGrantsByUserIndex),
      .key_condition = e.name("userId") + " = " + e.value(aws::attrS(user_id)),
      .filter = "attribute_not_exists(" + e.name("revokedAt") + ")"};
  if (!client_id.empty()) {
    request.filter += " AND " + e.name("clientId") + " = " + e.value(aws::attrS(client_id));
  }
  request.names = e.names();
  request.values = e.values();
  Table families(client_, families_);
  std::size_t revoked = 0;
  for (const auto& item : families.query(std::move(request))) {
    if (revokeFamily(Reader(item, families_).text("id"), now)) ++revoked;
  }
  return revoked;
}

void DynamoDbGrantStore::createCode(const AuthorizationCode& code) {
  createIn(Table(client_, codes_), toItem(code), "an authorization code hash");
}

std::optional<AuthorizationCode> DynamoDbGrantStore::findCode(std::string_view hash) {
  return findIn<AuthorizationCode>(Table(client_, codes_), hash, codeFrom);
}

bool DynamoDbGrantStore::consumeCode(std::string_view hash, TimePoint now) {
  if (!storableKey(hash)) return false;
  auto nonce = randomNonce();
  Expression e;
  auto update = "SET " + e.name("consumedAt") + " = " + e.value(attrTime(now)) + ", " +
                e.name("consumedBy") + " = " + e.value(aws::attrS(nonce));
  auto condition = "attribute_exists(" + e.name("id") + ") AND attribute_not_exists(" +
                   e.name("consumedAt") + ")";
  return Table(client_, codes_).update(hash, update, condition, e, carries(nonce)).has_value();
}

void DynamoDbGrantStore::createAccessToken(const AccessToken& token) {
  createIn(Table(client_, access_tokens_), toItem(token), "an access token hash");
}

std::optional<AccessToken> DynamoDbGrantStore::findAccessToken(std::string_view hash) {
  return findIn<AccessToken>(Table(client_, access_tokens_), hash, accessFrom);
}

std::optional<AccessGrant> DynamoDbGrantStore::findAccessGrant(std::string_view hash) {
  auto token = findAccessToken(hash);
  if (!token) return std::nullopt;
  auto family = findFamily(token->family_id);
  if (!family) return std::nullopt;
  return AccessGrant{.token = std::move(*token), .family = std::move(*family)};
}

std::optional<AccessGrantWithUser> DynamoDbGrantStore::findAccessGrantWithUser(
    std::string_view hash, UserStore& users, TimePoint now) {
  const auto* dynamo_users = dynamic_cast<const DynamoDbUserStore*>(&users);
  if (dynamo_users == nullptr || dynamo_users->endpoint() != client_.endpoint()) {
    return GrantStore::findAccessGrantWithUser(hash, users, now);
  }
  const Table tokens(client_, access_tokens_);
  const auto item = tokens.get(hash);
  if (!item) return std::nullopt;
  auto token = accessFrom(Reader(*item, tokens.name()));
  const auto user_id = token.user_id;
  if (user_id.empty() || !token.liveAt(now)) {  // a token from before userId, or a dead one
    auto family = findFamily(token.family_id);
    if (!family) return std::nullopt;
    return withUserIfLive({.token = std::move(token), .family = std::move(*family)}, users, now);
  }
  const std::array<aws::ItemKey, 2> keys{aws::ItemKey{families_, keyOf(token.family_id)},
                                         aws::ItemKey{dynamo_users->table(), keyOf(user_id)}};
  auto found = client_.batchGetItem(keys, true);
  if (!found) throw toStorageError(found.error(), "get a grant's family and user");
  const auto& family_item = (*found)[0];
  const auto& user_item = (*found)[1];
  if (!family_item) return std::nullopt;
  AccessGrant grant{.token = std::move(token),
                    .family = familyFrom(Reader(*family_item, families_))};
  if (grant.family.user_id != user_id) return withUserIfLive(std::move(grant), users, now);
  std::optional<User> user;
  if (grant.liveAt(now) && user_item) user = userFromItem(*user_item);
  return AccessGrantWithUser{.grant = std::move(grant), .user = std::move(user)};
}

bool DynamoDbGrantStore::revokeAccessToken(std::string_view hash) {
  if (!storableKey(hash)) return false;
  Expression e;
  auto update = "SET " + e.name("revoked") + " = " + e.value(attrBool(true));
  auto condition = "attribute_exists(" + e.name("id") + ") AND " + e.name("revoked") + " = " +
                   e.value(attrBool(false));
  return Table(client_, access_tokens_).update(hash, update, condition, e).has_value();
}

void DynamoDbGrantStore::createRefreshToken(const RefreshToken& token) {
  createIn(Table(client_, refresh_tokens_), toItem(token), "a refresh token hash");
}

std::optional<RefreshToken> DynamoDbGrantStore::findRefreshToken(std::string_view hash) {
  return findIn<RefreshToken>(Table(client_, refresh_tokens_), hash, refreshFrom);
}

void DynamoDbGrantStore::updateRefreshToken(const RefreshToken& token) {
  if (!storableKey(token.hash)) return;
  Expression e;
  std::string set = "SET " + e.name("revoked") + " = " + e.value(attrBool(token.revoked));
  std::string remove;
  auto assign = [&](std::string_view name, const std::optional<TimePoint>& time, bool ttl) {
    if (time) {
      set += ", " + e.name(name) + " = " + e.value(ttl ? attrTtl(*time) : attrTime(*time));
    } else {
      remove += (remove.empty() ? " REMOVE " : ", ") + e.name(name);
    }
  };
  assign("firstUsedAt", token.first_used_at, false);
  assign("revokeAfter", token.revoke_after, false);
  assign("ttl", token.revoke_after, true);
  // Like the SQL UPDATE: a token that is gone stays gone.
  Table(client_, refresh_tokens_)
      .update(token.hash, set + remove, "attribute_exists(" + e.name("id") + ")", e);
}

std::vector<RefreshToken> DynamoDbGrantStore::refreshChildren(std::string_view parent_hash) {
  if (!storableKey(parent_hash)) return {};
  Expression e;
  aws::QueryRequest request{
      .index = std::string(kRefreshByParentIndex),
      .key_condition = e.name("parentHash") + " = " + e.value(aws::attrS(parent_hash))};
  request.names = e.names();
  request.values = e.values();
  std::vector<RefreshToken> children;
  for (const auto& item : Table(client_, refresh_tokens_).query(std::move(request))) {
    children.push_back(refreshFrom(Reader(item, refresh_tokens_)));
  }
  return children;  // by-parent's range key createdAt: oldest first
}

std::size_t DynamoDbGrantStore::sweep(TimePoint now, TimePoint revoked_before) {
  Table families(client_, families_);
  Table access(client_, access_tokens_);
  Table refresh(client_, refresh_tokens_);
  std::size_t removed = Table(client_, codes_).removeWhere([now](Expression& e) {
    return e.name("expiresAt") + " < " + e.value(attrTime(now));
  });
  Expression revoked;
  std::set<std::string> dead;
  for (const auto& item : families.scan(
           revoked.name("revokedAt") + " < " + revoked.value(attrTime(revoked_before)), revoked)) {
    dead.insert(Reader(item, families_).text("id"));
  }
  std::vector<std::string> doomed;
  for (const auto& item : access.scan()) {
    Reader token(item, access_tokens_);
    auto expires = token.optionalTime("expiresAt");
    if ((expires && *expires < now) || dead.contains(token.text("familyId"))) {
      doomed.push_back(token.text("id"));
    }
  }
  removed += access.removeExisting(doomed);
  doomed.clear();
  for (const auto& item : refresh.scan()) {
    Reader token(item, refresh_tokens_);
    if (dead.contains(token.text("familyId"))) doomed.push_back(token.text("id"));
  }
  removed += refresh.removeExisting(doomed);
  return removed + families.removeExisting({dead.begin(), dead.end()});
}

// --- Alexa users ---

DynamoDbAlexaUserStore::DynamoDbAlexaUserStore(aws::DynamoDbClient& client,
                                               const LinkStoreOptions& options)
    : client_(client), table_(tableName(options.table_prefix, kAlexaUsersEntity)) {}

std::optional<AlexaUser> DynamoDbAlexaUserStore::find(std::string_view alexa_user_id) {
  return findIn<AlexaUser>(Table(client_, table_), alexa_user_id, [](const Reader& r) {
    return AlexaUser{.alexa_user_id = r.text("id"),
                     .user_id = r.text("userId"),
                     .client_id = r.text("clientId")};
  });
}

void DynamoDbAlexaUserStore::put(const AlexaUser& alexa_user) {
  checkKey(alexa_user.alexa_user_id, "an Alexa user id");
  checkKey(alexa_user.user_id, "a user id");  // a by-user index key
  Table(client_, table_)
      .put({{"id", aws::attrS(alexa_user.alexa_user_id)},
            {"userId", aws::attrS(alexa_user.user_id)},
            {"clientId", aws::attrS(alexa_user.client_id)}});
}

bool DynamoDbAlexaUserStore::remove(std::string_view alexa_user_id) {
  if (!storableKey(alexa_user_id)) return false;
  Expression e;
  return Table(client_, table_).remove(alexa_user_id, "attribute_exists(" + e.name("id") + ")", e);
}

std::size_t DynamoDbAlexaUserStore::removeLinksTo(std::string_view user_id) {
  if (!storableKey(user_id)) return 0;
  Expression e;
  aws::QueryRequest request{
      .index = std::string(kAlexaUsersByUserIndex),
      .key_condition = e.name("userId") + " = " + e.value(aws::attrS(user_id))};
  request.names = e.names();
  request.values = e.values();
  Table table(client_, table_);
  std::size_t removed = 0;
  for (const auto& item : table.query(std::move(request))) {
    // Only while it is still linked to this user: it may have been linked again meanwhile.
    Expression still;
    auto condition = still.name("userId") + " = " + still.value(aws::attrS(user_id));
    if (table.remove(Reader(item, table_).text("id"), condition, still)) ++removed;
  }
  return removed;
}

// --- throttle counters ---

DynamoDbThrottleStore::DynamoDbThrottleStore(aws::DynamoDbClient& client,
                                             const LinkStoreOptions& options)
    : client_(client), table_(tableName(options.table_prefix, kThrottleEntity)) {}

ThrottleCounter DynamoDbThrottleStore::hit(std::string_view key, std::chrono::seconds window,
                                           ThrottleWindow kind, system_clock::time_point now) {
  checkKey(key, "a throttle key");
  Table table(client_, table_);
  const std::string_view anchor = kind == ThrottleWindow::kFixed ? "windowStart" : "last";
  // The counter is still running while its anchor is later than `cutoff`.
  const auto cutoff = attrTime(now - window);
  // A racing restart can make both steps fail; each round lets one caller through.
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    Expression e;
    auto update = "ADD " + e.name("count") + " " + e.value(aws::attrN(1)) + " SET " +
                  e.name("last") + " = " + e.value(attrTime(now));
    if (kind == ThrottleWindow::kIdle) {
      update += ", " + e.name("ttl") + " = " + e.value(attrTtl(now + window));
    }
    auto condition =
        "attribute_exists(" + e.name("id") + ") AND " + e.name(anchor) + " > " + e.value(cutoff);
    // A retried ADD whose first answer was lost counts twice: throttling errs on the strict side.
    if (auto counted = table.update(key, update, condition, e)) {
      return counterFrom(Reader(*counted, table_));
    }
    Expression restart;
    auto put =
        client_.putItem({.table = table_,
                         .item = {{"id", aws::attrS(key)},
                                  {"count", aws::attrN(1)},
                                  {"windowStart", attrTime(now)},
                                  {"last", attrTime(now)},
                                  {"ttl", attrTtl(now + window)}},
                         .condition = "attribute_not_exists(" + restart.name("id") + ") OR " +
                                      restart.name(anchor) + " <= " + restart.value(cutoff),
                         .names = restart.names(),
                         .values = restart.values()});
    if (put) return ThrottleCounter{.count = 1, .window_start = now, .last = now};
    if (put.error().error != aws::Error::kConditionalCheckFailed) {
      throw toStorageError(put.error(), "restart a counter in " + table_);
    }
  }
  throw StorageError(Kind::kThrottled, "throttle counter in " + table_ + " is too contended");
}

std::optional<ThrottleCounter> DynamoDbThrottleStore::get(std::string_view key) {
  return findIn<ThrottleCounter>(Table(client_, table_), key, counterFrom);
}

void DynamoDbThrottleStore::reset(std::string_view key) {
  if (storableKey(key)) Table(client_, table_).remove(key);
}

std::size_t DynamoDbThrottleStore::sweep(system_clock::time_point before) {
  return Table(client_, table_).removeWhere([before](Expression& e) {
    return e.name("last") + " < " + e.value(attrTime(before));
  });
}

}  // namespace parley::storage::dynamodb
