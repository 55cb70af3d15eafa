// chainsim serve: a class plays scenarios in teams, in the browser
// (models/classroom/, docs/play.md). HTTP/1.1 over Boost.Beast, one thread:
// every request is answered by models/classroom/routes.h; this file only
// carries bytes, with bounds on what a client may send and how long it may
// take to send it.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fmt/core.h>
#include <ifaddrs.h>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chainsim_version.h"
#include "commands.h"
#include "models/classroom/classroom.h"
#include "models/classroom/routes.h"
#include "models/scenario/loader.h"
#include "sim/atomic_file.h"
#include "sim/text.h"

namespace chainsim::cli {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using models::classroom::Classroom;

constexpr std::size_t kHeaderLimit = 8 * 1024;   // bytes of a request's start line and headers
constexpr std::size_t kBodyLimit = 16 * 1024;    // bytes of a request's body
constexpr std::size_t kMaxConnections = 512;     // open at once; past it the one waiting longest is closed
constexpr auto kIdle = std::chrono::seconds(20);  // to send a whole request, or to take a response
constexpr auto kDrain = std::chrono::seconds(2);  // reading what follows a refused request, at most
constexpr std::size_t kDrainLimit = 4 << 20;      // ... and this many bytes of it

class Connection;

// The open connections, kept outside the io_context so that they outlive the
// handlers it destroys last. `waiting` holds those waiting for a request, by
// when they began to wait (oldest first): the first to close when the
// server is full, so that idle or trickling clients cannot lock out others.
struct Connections {
  std::size_t open = 0;
  std::uint64_t next = 0;
  std::map<std::uint64_t, Connection*> waiting;
};

// Random lower-case hexadecimal digits (the session ids, join tokens and the key).
std::string random_hex(int digits) {
  static std::random_device device;
  std::string out;
  while (static_cast<int>(out.size()) < digits) {
    const unsigned v = device();
    out += fmt::format("{:08x}", v);
  }
  out.resize(static_cast<std::size_t>(digits));
  return out;
}

// The machine's IPv4 addresses other than loopback: where students reach a
// server bound to every interface.
std::vector<std::string> network_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) == nullptr) continue;
    const std::string s = text;
    if (s.rfind("127.", 0) != 0 && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  freeifaddrs(list);
  return out;
}

struct Server {
  net::io_context io;
  tcp::acceptor acceptor{io};
  net::steady_timer retry{io};
  net::steady_timer ticker{io};
  Classroom* classroom = nullptr;
  std::string key;
  Connections* connections = nullptr;
  std::chrono::steady_clock::time_point origin = std::chrono::steady_clock::now();

  double now() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - origin).count(); }
  void accept();
  void tick();
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    ++server_.connections->open;
  }
  ~Connection() {
    stop_waiting();
    --server_.connections->open;
  }
  void read();
  // Closes the socket: the pending read ends and the connection with it.
  void close() {
    stop_waiting();
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

 private:
  void on_read(beast::error_code ec);
  void respond(models::classroom::Response r, bool keep_alive, bool refused);
  void drain();
  void stop_waiting() {
    if (waiting_ != 0) server_.connections->waiting.erase(waiting_);
    waiting_ = 0;
  }

  Server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kHeaderLimit + kBodyLimit + 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::uint64_t waiting_ = 0;  // the key in Connections::waiting, 0 when not waiting
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
};

void Connection::read() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  stream_.expires_after(kIdle);
  waiting_ = ++server_.connections->next;
  server_.connections->waiting[waiting_] = this;
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void Connection::on_read(beast::error_code ec) {
  stop_waiting();
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof || ec == net::error::bad_descriptor) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return;
  }
  if (ec) {
    // Malformed or too large: say so once and close.
    models::classroom::Response r;
    const bool too_large = ec == http::error::header_limit || ec == http::error::body_limit ||
                           ec == http::error::buffer_overflow;
    r.status = too_large ? 413 : 400;
    r.body = too_large ? "the request is too large\n" : "a malformed request\n";
    respond(r, false, true);
    return;
  }
  const http::request<http::string_body>& rq = parser_->get();
  models::classroom::Request request;
  request.method = std::string(rq.method_string());
  request.target = std::string(rq.target());
  request.body = rq.body();
  respond(models::classroom::handle(*server_.classroom, server_.key, request, server_.now()), rq.keep_alive(), false);
}

void Connection::respond(models::classroom::Response r, bool keep_alive, bool refused) {
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(r.status));
  response_.set(http::field::server, "chainsim");
  response_.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) response_.set(name, value);
  response_.body() = std::move(r.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  stream_.expires_after(kIdle);
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive, refused](beast::error_code ec, std::size_t) {
                      if (!ec && keep_alive) {
                        self->read();
                        return;
                      }
                      if (!ec && refused) {
                        self->drain();
                        return;
                      }
                      beast::error_code ignored;
                      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    });
}

// After refusing a request whose rest may still be on its way: stop sending,
// and read and drop what comes (a little while, a few MiB) before closing,
// so that the client reads the refusal instead of a connection reset.
void Connection::drain() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kDrain);
  stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->drained_ += n;
    if (!ec && self->drained_ < kDrainLimit) {
      self->drain();
      return;
    }
    beast::error_code e;
    self->stream_.socket().close(e);
  });
}

void Server::accept() {
  acceptor.async_accept(io, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors or the like: wait a little rather than spin.
      std::cerr << "chainsim serve: warning: accept: " << ec.message() << "\n";
      retry.expires_after(std::chrono::milliseconds(100));
      retry.async_wait([this](beast::error_code e) {
        if (!e) accept();
      });
      return;
    }
    if (connections->open >= kMaxConnections && !connections->waiting.empty()) {
      connections->waiting.begin()->second->close();  // the one waiting longest for its request
    }
    if (connections->open < kMaxConnections + 64) std::make_shared<Connection>(*this, std::move(socket))->read();
    accept();
  });
}

void Server::tick() {
  ticker.expires_after(std::chrono::milliseconds(200));
  ticker.async_wait([this](beast::error_code ec) {
    if (ec) return;
    try {
      classroom->tick(now());
    } catch (const std::exception& e) {
      std::cerr << "chainsim serve: error: " << sim::printable(e.what()) << "\n";
    }
    tick();
  });
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeArgs& a) {
  auto* cmd = app.add_subcommand("serve", "Host games for a class in the browser: teams, one student a stage");
  cmd->add_option("scenarios", a.scenarios, "Scenario files (YAML) the teacher can choose from")->required();
  cmd->add_option("--port", a.port, "TCP port (default 8080; 0: any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", a.bind,
                  "Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: the classroom network)");
  cmd->add_option("--out", a.out, "Where finished games are written (default: out/classroom)");
  cmd->add_option("--timer", a.timer, "Seconds a team's players have to order each week (default: no limit)")
      ->check(CLI::Range(1.0, 3600.0));
  add_allow_dir_option(cmd, a.allow_dirs);
  return cmd;
}

int serve_command(const ServeArgs& a) {
  std::vector<models::LoadedScenario> scenarios;
  for (const std::string& file : a.scenarios) {
    try {
      scenarios.push_back(models::load_scenario(file, {{}, "--set", a.allow_dirs}));
    } catch (const models::LoadError& e) {
      print_load_error(e);
      return kExitBadInput;
    }
  }
  sim::DirectoryLock lock;
  if (const std::string why = lock.claim(a.out, "--out"); !why.empty()) {
    std::cerr << "chainsim: error: " << why << "\n";
    return kExitBadInput;
  }
  Classroom::Options o;
  o.out_dir = a.out;
  o.timer_seconds = a.timer;
  o.version = CHAINSIM_VERSION;
  o.git = CHAINSIM_GIT;
  std::optional<Classroom> classroom;
  try {
    classroom.emplace(std::move(scenarios), o, random_hex);
  } catch (const std::invalid_argument& e) {
    std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
    return kExitBadInput;
  }
  for (const std::string& problem : classroom->load_finished()) {
    std::cerr << "chainsim serve: warning: skipped " << problem << "\n";
  }
  Connections connections;
  Server server;
  server.connections = &connections;
  server.classroom = &*classroom;
  server.key = random_hex(32);
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(a.bind, ec);
  if (ec) {
    std::cerr << fmt::format("chainsim: error: --bind: '{}' is not an IP address\n", sim::printable(a.bind));
    return kExitBadInput;
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(a.port));
  server.acceptor.open(endpoint.protocol(), ec);
  if (!ec) server.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) server.acceptor.bind(endpoint, ec);
  if (!ec) server.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << fmt::format("chainsim: error: cannot listen on {}:{} ({})\n", a.bind, a.port, ec.message());
    return kExitFailure;
  }
  const auto bound = server.acceptor.local_endpoint();
  const std::string host = address.is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  const std::string base = fmt::format("http://{}:{}", host, bound.port());
  std::cout << fmt::format("chainsim serve: listening on {}/\n", base);
  if (address.is_unspecified()) {
    // Every interface: the teacher opens the page by an address the students
    // can reach, so that the join links it shows carry it.
    for (const std::string& ip : network_addresses()) {
      std::cout << fmt::format("teacher (on the network): http://{}:{}/teacher?key={}\n", ip, bound.port(), server.key);
    }
  }
  std::cout << fmt::format("teacher: {}/teacher?key={}\nfinished games go to {}\nstop with Ctrl-C\n", base, server.key,
                           a.out)
            << std::flush;
  net::signal_set signals(server.io, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { server.io.stop(); });
  server.accept();
  if (a.timer > 0) server.tick();
  server.io.run();
  std::cout << "chainsim serve: stopped\n";
  return kExitOk;
}

}  // namespace chainsim::cli
