#include "http/listen_address.h"

#include <charconv>

#include "driftd/error.h"

namespace driftd {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 1123 host names (letters, digits and hyphens in labels of at most 63,
// 253 in all, a final dot allowed), and underscores, which container
// networks use in service names and resolvers accept.
bool valid_host_name(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!is_alnum(c) && c != '-' && c != '_') return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view listen, std::string& problem) {
  const auto bad = [&](std::string_view why) {
    problem = "expected host:port, got '" + std::string(listen) + "'" + std::string(why);
    return std::nullopt;
  };
  std::string_view host;
  std::string_view port_text;
  const bool bracketed = listen.starts_with('[');
  if (bracketed) {
    const auto end = listen.find(']');
    if (end == std::string_view::npos || listen.substr(end + 1, 1) != ":") return bad("");
    host = listen.substr(1, end - 1);
    port_text = listen.substr(end + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("");
    host = listen.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return bad(" (put an IPv6 address in brackets, e.g. [::1]:9108)");
    port_text = listen.substr(colon + 1);
  }
  if (host.empty()) return bad(" (empty host: use 0.0.0.0 or [::] for every interface)");
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return bad(" (the port must be a number from 0 to 65535)");
  }

  ListenAddress address{std::string(host), static_cast<std::uint16_t>(port), true};
  boost::system::error_code ec;
  if (bracketed) {
    asio::ip::make_address_v6(address.host, ec);
    if (ec) return bad(" (not an IPv6 address)");
  } else if (host.find_first_not_of("0123456789.") == std::string_view::npos) {
    // Digits and dots are meant as an IPv4 address, never a host name.
    asio::ip::make_address_v4(address.host, ec);
    if (ec) return bad(" (not an IPv4 address)");
  } else if (valid_host_name(host)) {
    address.literal = false;
  } else {
    return bad(" (not an IPv4 address nor a host name)");
  }
  return address;
}

tcp::endpoint resolve_listen_address(asio::io_context& io, std::string_view listen) {
  std::string problem;
  const std::optional<ListenAddress> address = parse_listen_address(listen, problem);
  if (!address) throw UsageError("http.listen: " + problem);
  if (address->literal) return {asio::ip::make_address(address->host), address->port};
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(address->host, std::to_string(address->port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    throw UsageError("http.listen: cannot resolve host '" + address->host + "' in '" + std::string(listen) +
                     "': " + ec.message());
  }
  return results.begin()->endpoint();
}

}  // namespace driftd
