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
  CHECK_FALSE(watch.should_wake(0, 100, 10'000));  // 100-byte messages
  CHECK_FALSE(watch.should_wake(800, 0, 0));       // 80 % of the bytes: not full
  CHECK_FALSE(watch.should_wake(100, 0, 0));       // never full: no wake
  // Messages grow to ~1,000 bytes: 95 queued now fill it.
  for (int batch = 0; batch < 20; ++batch) CHECK_FALSE(watch.should_wake(0, 10, 10'000));
  CHECK_FALSE(watch.should_wake(95, 0, 0));
  CHECK(watch.should_wake(40, 0, 0));
}

TEST_CASE("fetch queue watch: a queue that filled while a batch was taken counts as full") {
  FetchQueueWatch watch(1000, 1'000'000'000);
  // Looks before and after batches of 200: the queue was at 850, reached its
  // limit while the batch was taken, and the fetchers stopped there. No
  // look ever sees it at 90 %.
  CHECK_FALSE(watch.should_wake(850, 0, 0));
  CHECK_FALSE(watch.should_wake(800, 200, 200));
  CHECK_FALSE(watch.should_wake(800, 0, 0));
  CHECK_FALSE(watch.should_wake(600, 200, 200));
  CHECK(watch.should_wake(400, 200, 200));
  CHECK_FALSE(watch.should_wake(300, 0, 0));  // once per filling
}

TEST_CASE("fetch queue watch: a batch that took the whole of a full queue wakes at once") {
  FetchQueueWatch watch(100, 1'000'000'000);
  CHECK(watch.should_wake(0, 100, 10'000));
  CHECK_FALSE(watch.should_wake(0, 0, 0));
  CHECK_FALSE(watch.should_wake(0, 40, 4'000));  // 40 % taken: it was not full
}

TEST_CASE("fetch queue watch: zero limits do not divide by zero") {
  FetchQueueWatch watch(0, 0);
  CHECK_FALSE(watch.should_wake(0, 0, 0));
  CHECK_FALSE(watch.should_wake(5, 5, 500));  // taken as limits of 1: full
  CHECK(watch.should_wake(0, 5, 500));
}
