package io.shoal.ca.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.ca.Fixtures;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real handshakes on 127.0.0.1 between contexts built by {@link MutualTls}. The JDK checks
 * certificate dates against the real clock, so the certificates here are issued "now".
 */
class MutualTlsTest {
  private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
  private final SecureRandom random = Fixtures.secureRandom(51);
  private final RootCA ca = RootCA.create(clock, random);
  private final NodeCredentials manager1 = issue(ca, NodeRole.MANAGER, "manager1");
  private final NodeCredentials manager2 = issue(ca, NodeRole.MANAGER, "manager2");
  private final NodeCredentials worker1 = issue(ca, NodeRole.WORKER, "worker1");
  private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    serverThread.shutdownNow();
  }

  /** What each side saw: the peer's node id, or the failure. */
  record Outcome(String serverSawPeer, Throwable serverError, String clientSawPeer, Throwable clientError, String protocol) {
    boolean ok() {
      return serverError == null && clientError == null;
    }
  }

  @Test
  void managersTalkToEachOver13() {
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.managersOnly()),
        MutualTls.clientContext(manager2, ca, PeerPolicy.managersOnly()), null);
    assertThat(o.ok()).as("%s", o).isTrue();
    assertThat(o.serverSawPeer()).isEqualTo("manager2");
    assertThat(o.clientSawPeer()).isEqualTo("manager1");
    assertThat(o.protocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void tls12AlsoWorks() {
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.anyNode()),
        MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly()), "TLSv1.2");
    assertThat(o.ok()).as("%s", o).isTrue();
    assertThat(o.protocol()).isEqualTo("TLSv1.2");
    assertThat(o.serverSawPeer()).isEqualTo("worker1");
  }

  @Test
  void workerRefusedWhereManagerRequired() {
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.managersOnly()),
        MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly()), null);
    assertThat(o.serverError()).isNotNull()
        .hasStackTraceContaining("node worker1 has role swarm-worker; this endpoint accepts only [swarm-manager]");
    assertThat(o.clientError()).as("the client is cut off too").isNotNull();
  }

  @Test
  void workerIsAcceptedWhereAnyNodeIs() {
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.anyNode()),
        MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly()), null);
    assertThat(o.ok()).as("%s", o).isTrue();
    assertThat(o.serverSawPeer()).isEqualTo("worker1");
  }

  @Test
  void clientRefusesAServerThatIsNotAManager() {
    Outcome o = handshake(
        MutualTls.serverContext(worker1, ca, PeerPolicy.anyNode()),
        MutualTls.clientContext(manager2, ca, PeerPolicy.managersOnly()), null);
    assertThat(o.clientError()).isNotNull()
        .hasStackTraceContaining("node worker1 has role swarm-worker");
    assertThat(o.serverError()).isNotNull();
  }

  @Test
  void removedNodeIsRefused() {
    Set<String> removed = ConcurrentHashMap.newKeySet();
    SSLContext server = MutualTls.serverContext(manager1, ca, PeerPolicy.anyNode().withRevoked(removed::contains));
    SSLContext client = MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly());
    assertThat(handshake(server, client, null).ok()).isTrue();

    removed.add("worker1"); // node rm: the live set is read on every handshake
    Outcome o = handshake(server, client, null);
    assertThat(o.serverError()).isNotNull()
        .hasStackTraceContaining("node worker1 has been removed from the swarm");
  }

  @Test
  void certificateFromAnotherCaIsRefused() {
    RootCA otherCa = RootCA.create(clock, Fixtures.secureRandom(52));
    NodeCredentials intruder = issue(otherCa, NodeRole.MANAGER, "intruder");
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.managersOnly()),
        MutualTls.clientContext(intruder, otherCa, PeerPolicy.managersOnly()), null);
    assertThat(o.serverError()).isNotNull();
    assertThat(o.serverSawPeer()).isNull();
    assertThat(o.clientError()).isNotNull();
  }

  @Test
  void otherClusterIdIsRefused() {
    NodeCredentials stranger = issueIn(ca, NodeRole.MANAGER, "m9", "other-cluster");
    Outcome o = handshake(
        MutualTls.serverContext(manager1, ca, PeerPolicy.managersOnly().withClusterId("cluster1")),
        MutualTls.clientContext(stranger, ca, PeerPolicy.managersOnly()), null);
    assertThat(o.serverError()).isNotNull()
        .hasStackTraceContaining("node m9 belongs to cluster other-cluster, not cluster1");
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, new TrustManager[] {MutualTls.trustManager(ca, PeerPolicy.managersOnly())}, random);
    Outcome o = handshake(MutualTls.serverContext(manager1, ca, PeerPolicy.anyNode()), anonymous, null);
    assertThat(o.serverError()).isNotNull();
    assertThat(o.serverSawPeer()).isNull();
  }

  @Test
  void caOnlyTrustAcceptsAnyCertificateFromTheSwarmCa() throws Exception {
    // The TCP API's model: chain to the swarm CA is enough, whatever the role.
    SSLContext raw = SSLContext.getInstance("TLS");
    raw.init(new javax.net.ssl.KeyManager[] {MutualTls.keyManager(manager1)},
        new TrustManager[] {MutualTls.caOnlyTrustManager(ca)}, random);
    SSLContext client = MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly());
    Outcome ok = handshake(raw, client, null, s -> {}, true);
    assertThat(ok.ok()).as("%s", ok).isTrue();
    assertThat(ok.serverSawPeer()).isEqualTo("worker1");

    RootCA otherCa = RootCA.create(clock, Fixtures.secureRandom(53));
    NodeCredentials intruder = issue(otherCa, NodeRole.MANAGER, "intruder");
    Outcome refused = handshake(raw, MutualTls.clientContext(intruder, otherCa, PeerPolicy.managersOnly()), null, s -> {}, true);
    assertThat(refused.serverError()).isNotNull();
  }

  @Test
  void renewedCertificateIsServedWithoutNewContext() {
    NodeKeyManager km = MutualTls.keyManager(manager1);
    SSLContext server = MutualTls.serverContext(km, MutualTls.trustManager(ca, PeerPolicy.anyNode()));
    SSLContext client = MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly());
    assertThat(handshake(server, client, null).ok()).isTrue();

    NodeCredentials renewed = issue(ca, NodeRole.MANAGER, "manager1");
    km.update(renewed);
    X509Certificate[] seen = new X509Certificate[1];
    Outcome o = handshake(server, client, null, s -> seen[0] = peer(s));
    assertThat(o.ok()).as("%s", o).isTrue();
    assertThat(seen[0].getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber())
        .isNotEqualTo(manager1.certificate().getSerialNumber());
  }

  @Test
  void serverContextBakesInClientAuthAndProtocols() {
    SSLContext server = MutualTls.serverContext(manager1, ca, PeerPolicy.anyNode());
    SSLEngine e = server.createSSLEngine();
    assertThat(e.getNeedClientAuth()).isTrue();
    assertThat(e.getUseClientMode()).isFalse();
    assertThat(e.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(server.getDefaultSSLParameters().getNeedClientAuth()).isTrue();
    SSLEngine c = MutualTls.clientContext(worker1, ca, PeerPolicy.managersOnly()).createSSLEngine("x", 1);
    assertThat(c.getUseClientMode()).isTrue();
    assertThat(c.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  // ---------------------------------------------------------------------------------------------

  private NodeCredentials issue(RootCA ca, NodeRole role, String id) {
    return issueIn(ca, role, id, "cluster1");
  }

  private NodeCredentials issueIn(RootCA ca, NodeRole role, String id, String cluster) {
    return Fixtures.issue(ca, role, id, cluster, null, clock, random);
  }

  private Outcome handshake(SSLContext server, SSLContext client, String forceProtocol) {
    return handshake(server, client, forceProtocol, s -> {});
  }

  private interface ClientCheck {
    void accept(SSLSocket s) throws IOException;
  }

  /**
   * One connection: the server accepts, completes the handshake, echoes one byte; the client sends
   * a byte and reads it back. Both sides have a socket timeout, and the server's result is awaited
   * with a deadline, so a broken handshake fails the test instead of hanging it.
   */
  private Outcome handshake(SSLContext server, SSLContext client, String forceProtocol, ClientCheck check) {
    return handshake(server, client, forceProtocol, check, false);
  }

  private Outcome handshake(
      SSLContext server, SSLContext client, String forceProtocol, ClientCheck check, boolean needClientAuth) {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, lo)) {
      if (needClientAuth) {
        ss.setNeedClientAuth(true); // a plain JDK context, as a framework would configure it
      }
      CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          String peer = io.shoal.ca.NodeIdentity.of(peer(s)).nodeId();
          int b = s.getInputStream().read();
          if (b < 0) {
            throw new EOFException("client closed");
          }
          s.getOutputStream().write(b);
          s.getOutputStream().flush();
          return peer;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, serverThread);

      String clientSaw = null;
      Throwable clientError = null;
      String protocol = null;
      try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(lo, ss.getLocalPort())) {
        c.setSoTimeout(10_000);
        if (forceProtocol != null) {
          c.setEnabledProtocols(new String[] {forceProtocol});
        }
        c.startHandshake();
        protocol = c.getSession().getProtocol();
        clientSaw = io.shoal.ca.NodeIdentity.of(peer(c)).nodeId();
        check.accept(c);
        c.getOutputStream().write(42);
        c.getOutputStream().flush();
        if (c.getInputStream().read() != 42) {
          throw new EOFException("no echo");
        }
      } catch (IOException | RuntimeException e) {
        clientError = e;
      }

      String serverSaw = null;
      Throwable serverError = null;
      try {
        serverSaw = served.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        serverError = e.getCause();
      }
      return new Outcome(serverSaw, serverError, clientError == null ? clientSaw : null, clientError, protocol);
    } catch (Exception e) {
      throw new AssertionError("test harness failed", e);
    }
  }

  private static X509Certificate peer(SSLSocket s) throws IOException {
    return (X509Certificate) s.getSession().getPeerCertificates()[0];
  }
}
