#pragma once

// In-memory linking stores for tests and single-process development servers. Each store owns its
// mutex; nothing survives a restart.

#include <algorithm>
#include <map>
#include <mutex>

#include "parley/storage/client_store.hpp"
#include "parley/storage/pending_request_store.hpp"

namespace parley::storage {

class MemoryPendingRequestStore final : public PendingRequestStore {
 public:
  void create(const PendingRequest& request) override {
    std::lock_guard lock{mutex_};
    requests_.insert_or_assign(request.handle_hash, request);
  }
  std::optional<PendingRequest> find(std::string_view handle_hash) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end()) return std::nullopt;
    return it->second;
  }
  bool replaceCsrf(std::string_view handle_hash, std::string_view csrf_hash) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end() || it->second.consumed) return false;
    it->second.csrf_hash = csrf_hash;
    return true;
  }
  bool consume(std::string_view handle_hash, std::chrono::system_clock::time_point now) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end() || it->second.consumed || it->second.expires_at <= now) return false;
    it->second.consumed = true;
    return true;
  }
  std::size_t sweep(std::chrono::system_clock::time_point now) override {
    std::lock_guard lock{mutex_};
    return std::erase_if(requests_,
                         [now](const auto& entry) { return entry.second.expires_at < now; });
  }
  std::size_t size() const {
    std::lock_guard lock{mutex_};
    return requests_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, PendingRequest, std::less<>> requests_;
};

class MemoryClientStore final : public ClientStore {
 public:
  std::optional<OAuthClient> find(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = clients_.find(id);
    if (it == clients_.end()) return std::nullopt;
    return it->second;
  }
  void put(const OAuthClient& client) override {
    std::lock_guard lock{mutex_};
    clients_.insert_or_assign(client.id, client);
  }
  bool remove(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    clients_.erase(it);
    return true;
  }
  std::vector<OAuthClient> list() override {
    std::lock_guard lock{mutex_};
    std::vector<OAuthClient> out;
    for (const auto& [id, client] : clients_) out.push_back(client);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, OAuthClient, std::less<>> clients_;
};

}  // namespace parley::storage
