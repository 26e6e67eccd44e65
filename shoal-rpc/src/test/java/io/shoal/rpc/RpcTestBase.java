package io.shoal.rpc;

import io.shoal.ca.NodeCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts real cluster servers on 127.0.0.1 ephemeral ports and closes everything after each test. */
abstract class RpcTestBase {
  final TestPki pki = new TestPki();
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  ClusterServer server(NodeCredentials creds, UnaryOperator<ClusterServer.Builder> config) {
    ClusterServer s = config.apply(ClusterServer.builder("127.0.0.1", 0, creds, pki.ca)).build().start();
    toClose.push(s);
    return s;
  }

  static String addr(ClusterServer s) {
    return "127.0.0.1:" + s.port();
  }

  ClusterChannels channels(NodeCredentials creds) {
    ClusterChannels c = new ClusterChannels(creds, pki.ca);
    toClose.push(c);
    return c;
  }

  /** An address where nothing listens (bound, then released). */
  static String deadAddress() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
  }
}
