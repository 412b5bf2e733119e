#include "daemon/service.h"

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "driftd/event.h"

namespace driftd {
namespace {

constexpr int kExitStoppedAbruptly = 3;  // a runtime failure, as the command line documents

[[noreturn]] void exit_now(const char* why) {
  std::cerr << "driftd: " << why
            << ": exiting now without a final commit; events since the last commit are read again after a restart"
            << std::endl;
  std::_Exit(kExitStoppedAbruptly);
}

}  // namespace

Service::Service(const Config& config)
    : metrics_(std::make_unique<Metrics>(model_schemas(config), config)),
      signals_(io_, SIGINT, SIGTERM, SIGHUP),
      stop_deadline_(io_) {
  wait_for_signal();
  http_ = std::make_unique<HttpServer>(io_, config.http.listen,
                                       [this](std::string_view path) { return route(path); });
  host_ = config.http.listen.substr(0, config.http.listen.rfind(':'));
  thread_ = std::thread([this] { io_.run(); });
}

Service::~Service() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
  http_->stop();  // the loop is not running any more: safe from this thread
}

void Service::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      std::cerr << "driftd: SIGHUP ignored (the configuration is read at start: restart to apply a new one)"
                << std::endl;
    } else if (stop_.exchange(true)) {
      exit_now("a second stop signal");
    } else {
      stop_deadline_.expires_after(kStopDeadline);
      stop_deadline_.async_wait([](const boost::system::error_code& wait_error) {
        if (!wait_error) exit_now("still stopping 20 s after the stop signal (are the brokers away?)");
      });
    }
    wait_for_signal();
  });
}

std::string Service::metrics_url() const {
  return "http://" + host_ + ":" + std::to_string(http_->port()) + "/metrics";
}

HttpResponse Service::route(std::string_view path) {
  if (path == "/metrics") {
    metrics_->set_ready(status_.ready());  // as /readyz says now, stale or not
    return {.content_type = "text/plain; version=0.0.4; charset=utf-8", .body = metrics_->text()};
  }
  if (path == "/healthz") return {.body = "ok\n"};
  if (path == "/readyz") {
    return status_.ready() ? HttpResponse{.body = "ready\n"} : HttpResponse{.status = 503, .body = "not ready\n"};
  }
  if (path == "/v1/status") return {.content_type = "application/json", .body = status_.status()};
  return {.status = 404, .body = "not found: try /metrics /healthz /readyz /v1/status\n"};
}

}  // namespace driftd
