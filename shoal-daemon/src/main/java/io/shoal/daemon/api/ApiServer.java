package io.shoal.daemon.api;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Docker-compatible API on each {@code -H} address: {@code unix:///path.sock} (mode
 * 0660, as dockerd's) and {@code tcp://127.0.0.1:PORT} (plain HTTP, refused on any address but
 * loopback, so the API is never open to the network unguarded; the network gets the mutual-TLS
 * listener of {@code io.shoal.daemon.tls} instead).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private final Server server;
  private final List<Path> sockets = new ArrayList<>();

  public ApiServer(List<String> hosts, Router router) {
    QueuedThreadPool pool = new QueuedThreadPool(200, 4);
    pool.setName("shoal-api");
    pool.setDaemon(true);
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    for (String h : hosts) server.addConnector(connector(h, http));
    server.setHandler(router);
    server.setStopTimeout(2000);
  }

  private Connector connector(String host, HttpConfiguration http) {
    URI uri = URI.create(host);
    switch (uri.getScheme()) {
      case "unix" -> {
        UnixDomainServerConnector c = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        Path p = Path.of(uri.getPath());
        c.setUnixDomainPath(p);
        c.setIdleTimeout(0);
        sockets.add(p);
        return c;
      }
      case "tcp" -> {
        String h = uri.getHost();
        if (!(h.equals("127.0.0.1") || h.equals("localhost") || h.equals("::1") || h.equals("[::1]"))) {
          throw new IllegalArgumentException("refusing to serve the API without TLS on " + host
              + ": plain TCP is allowed on loopback only");
        }
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost(h);
        c.setPort(uri.getPort() < 0 ? 2375 : uri.getPort());
        c.setIdleTimeout(0);
        return c;
      }
      default -> throw new IllegalArgumentException("unsupported host " + host + " (unix:// or tcp://)");
    }
  }

  public void start() throws Exception {
    for (Path p : sockets) {
      Files.createDirectories(p.toAbsolutePath().getParent());
      // a socket left by a daemon that died: nothing listens on it, so it is safe to replace
      Files.deleteIfExists(p);
    }
    server.start();
    for (Path p : sockets) {
      try {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw----"));
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("could not set 0660 on {}: {}", p, e.toString());
      }
      log.info("API listening on unix://{}", p);
    }
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector s) {
        log.info("API listening on tcp://{}:{}", s.getHost(), s.getLocalPort());
        // as dockerd warns: loopback keeps the network out, not other users or a browser's scripts
        log.warn("the API on tcp://{}:{} has no authentication: every local user and process can drive the swarm through it;"
            + " for remote access use --tls-api-addr (mutual TLS)", s.getHost(), s.getLocalPort());
      }
    }
  }

  /** The bound TCP port of the first TCP connector (tests use port 0), or -1. */
  public int tcpPort() {
    for (Connector c : server.getConnectors()) if (c instanceof ServerConnector s) return s.getLocalPort();
    return -1;
  }

  @Override
  public void close() throws Exception {
    server.stop();
    for (Path p : sockets) Files.deleteIfExists(p);
  }
}
