#include "daemon/service.h"

#include "driftd/event.h"

namespace driftd {

Service::Service(const Config& config)
    : metrics_(std::make_unique<Metrics>(model_schemas(config), config)), signals_(io_, SIGINT, SIGTERM) {
  signals_.async_wait([this](const boost::system::error_code& error, int) {
    if (!error) stop_ = true;
  });
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

std::string Service::metrics_url() const {
  return "http://" + host_ + ":" + std::to_string(http_->port()) + "/metrics";
}

HttpResponse Service::route(std::string_view path) {
  if (path == "/metrics") {
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
