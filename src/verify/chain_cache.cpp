#include "chain_cache.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace parley::verify {

boost::system::result<ChainCache::Chain> ChainCache::get(const std::string& url,
                                                         std::chrono::system_clock::time_point now,
                                                         const Loader& load) {
  std::promise<boost::system::result<Chain>> promise;
  {
    std::unique_lock lock(mutex_);
    if (auto found = chains_.find(url); found != chains_.end()) {
      if (found->second->validAt(now)) return found->second;
      // Expired (or the clock went back): validate afresh, which reports the precise reason.
      chains_.erase(found);
    }
    if (auto loading = pending_.find(url); loading != pending_.end()) {
      Pending pending = loading->second;
      lock.unlock();
      return pending.get();
    }
    pending_.emplace(url, promise.get_future().share());
  }

  auto outcome = [&]() -> boost::system::result<Chain> {
    try {
      return load();
    } catch (...) {
      // Waiters must not hang on a loader that threw; they see the same exception.
      std::lock_guard lock(mutex_);
      pending_.erase(url);
      promise.set_exception(std::current_exception());
      throw;
    }
  }();
  {
    std::lock_guard lock(mutex_);
    pending_.erase(url);
    if (outcome) insert(url, *outcome, now);
  }
  promise.set_value(outcome);
  return outcome;
}

void ChainCache::insert(const std::string& url, Chain chain,
                        std::chrono::system_clock::time_point now) {
  if (max_entries_ == 0) return;
  if (chains_.size() >= max_entries_) {
    std::erase_if(chains_, [now](const auto& entry) { return !entry.second->validAt(now); });
  }
  if (chains_.size() >= max_entries_) {
    auto soonest = std::min_element(
        chains_.begin(), chains_.end(),
        [](const auto& a, const auto& b) { return a.second->not_after < b.second->not_after; });
    chains_.erase(soonest);
  }
  chains_.insert_or_assign(url, std::move(chain));
}

std::size_t ChainCache::size() const {
  std::lock_guard lock(mutex_);
  return chains_.size();
}

}  // namespace parley::verify
