#include <catch2/catch.hpp>

#include "kafka/fetch_queue_watch.h"

using driftd::FetchQueueWatch;

TEST_CASE("fetch queue watch: wakes once the queue has drained to half after filling up by bytes") {
  // 1,000 messages or 100,000 bytes; batches of 100-byte messages.
  FetchQueueWatch watch(1000, 100'000);
  CHECK_FALSE(watch.should_wake(500, 100, 10'000));  // half full, never full yet: no wake
  CHECK_FALSE(watch.should_wake(950, 100, 10'000));  // 95,000 bytes: full, the fetchers may stop
  CHECK_FALSE(watch.should_wake(700, 100, 10'000));
  CHECK_FALSE(watch.should_wake(500, 100, 10'000));  // exactly half: not below
  CHECK(watch.should_wake(499, 100, 10'000));
  CHECK_FALSE(watch.should_wake(100, 100, 10'000));  // woken already: once per filling
  CHECK_FALSE(watch.should_wake(0, 0, 0));
  CHECK_FALSE(watch.should_wake(920, 100, 10'000));  // full again
  CHECK(watch.should_wake(10, 100, 10'000));
}

TEST_CASE("fetch queue watch: the message limit counts as well as the bytes") {
  FetchQueueWatch watch(100, 1'000'000'000);  // tiny messages: the count fills first
  CHECK_FALSE(watch.should_wake(95, 10, 100));
  CHECK_FALSE(watch.should_wake(60, 10, 100));
  CHECK(watch.should_wake(40, 10, 100));
}

TEST_CASE("fetch queue watch: the queue's bytes follow the recent message size") {
  FetchQueueWatch watch(1'000'000, 100'000);
  // 100-byte messages: 800 of them are 80 % of the bytes, not full.
  CHECK_FALSE(watch.should_wake(800, 100, 10'000));
  CHECK_FALSE(watch.should_wake(100, 100, 10'000));
  // Messages grow to ~1,000 bytes: 95 queued now fill it.
  for (int batch = 0; batch < 20; ++batch) watch.should_wake(95, 100, 100'000);
  CHECK(watch.should_wake(40, 100, 100'000));
}

TEST_CASE("fetch queue watch: zero limits do not divide by zero") {
  FetchQueueWatch watch(0, 0);
  CHECK_FALSE(watch.should_wake(0, 0, 0));
  CHECK_FALSE(watch.should_wake(5, 5, 500));  // taken as limits of 1: full
  CHECK(watch.should_wake(0, 5, 500));
}
