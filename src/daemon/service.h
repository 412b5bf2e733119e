// The process plumbing around a Daemon: metrics, the HTTP server
// (/metrics /healthz /readyz /v1/status) and signal handling, on a
// Boost.Asio event loop in a thread of their own, so that scrapes and
// probes are answered while the Kafka thread is busy or blocked.
//
// Signals: SIGTERM or SIGINT asks the Kafka thread to stop (it finishes the
// batch, checkpoints, commits and leaves the group). Should that take longer
// than kStopDeadline — the brokers are away and a call into librdkafka does
// not return — or should a second SIGTERM/SIGINT come, the process exits at
// once with status 3; nothing is lost, since uncommitted events are read
// again after a restart. SIGHUP is logged and ignored: the configuration is
// read at start only, so a restart applies a new one.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "daemon/status_board.h"
#include "driftd/config.h"
#include "http/http_server.h"
#include "metrics/metrics.h"

namespace driftd {

class Service {
 public:
  // Starts serving HTTP on config.http.listen (UsageError for a bad address).
  explicit Service(const Config& config);
  ~Service();

  Metrics& metrics() { return *metrics_; }
  StatusBoard& status() { return status_; }

  // Within the 30 s that systemd's TimeoutStopSec and Kubernetes' grace
  // period give before SIGKILL, so that the exit is ours and says why.
  static constexpr std::chrono::seconds kStopDeadline{20};

  // Set by SIGTERM or SIGINT (or request_stop()); the Kafka thread polls it.
  const std::atomic<bool>& stop_requested() const { return stop_; }
  void request_stop() { stop_ = true; }

  // e.g. "http://127.0.0.1:9108/metrics", with the port actually bound.
  std::string metrics_url() const;

 private:
  HttpResponse route(std::string_view path);
  void wait_for_signal();

  std::unique_ptr<Metrics> metrics_;
  StatusBoard status_;
  std::atomic<bool> stop_{false};
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer stop_deadline_;
  std::unique_ptr<HttpServer> http_;
  std::string host_;
  std::thread thread_;
};

}  // namespace driftd
