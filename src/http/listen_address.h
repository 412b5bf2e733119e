// `http.listen`: "host:port" with an IPv4 address or a host name, or
// "[IPv6]:port"; port 0 picks a free port. Checking the syntax needs no
// network, so the configuration loader does it (with the file and line);
// resolving a host name is left to the moment the server starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace driftd {

struct ListenAddress {
  std::string host;  // an IP address (without brackets) or a host name
  std::uint16_t port = 0;
  bool literal = false;  // host is an IP address: nothing to resolve
};

// The parts of `listen`, or nullopt with `problem` saying what is wrong:
// "expected host:port, got '...' (the port must be a number from 0 to 65535)".
// A host of digits and dots must be a valid IPv4 address, one in brackets a
// valid IPv6 address, and any other a valid host name (RFC 1123 labels).
std::optional<ListenAddress> parse_listen_address(std::string_view listen, std::string& problem);

// The endpoint to bind for `listen`, a host name resolved through the
// system's resolver. Throws UsageError ("http.listen: ...") for a malformed
// string or a host that does not resolve.
boost::asio::ip::tcp::endpoint resolve_listen_address(boost::asio::io_context& io, std::string_view listen);

}  // namespace driftd
