#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "certificate_chain.hpp"

namespace parley::verify {

// Validated chains by canonical URL, each kept while the whole chain is valid. Thread-safe. When
// several threads miss on the same URL at once, one loads and the others wait for its outcome, so
// a burst of first requests costs one download.
class ChainCache {
 public:
  using Chain = std::shared_ptr<const ValidatedChain>;
  using Loader = std::function<boost::system::result<Chain>()>;

  explicit ChainCache(std::size_t max_entries) : max_entries_(max_entries) {}

  // The cached chain for `url` if valid at `now`, else the outcome of `load()` (cached when it
  // succeeds). Failures are not cached: the next request retries.
  boost::system::result<Chain> get(const std::string& url,
                                   std::chrono::system_clock::time_point now, const Loader& load);

  std::size_t size() const;

 private:
  using Pending = std::shared_future<boost::system::result<Chain>>;

  void insert(const std::string& url, Chain chain, std::chrono::system_clock::time_point now);

  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Chain> chains_;
  std::unordered_map<std::string, Pending> pending_;
};

}  // namespace parley::verify
