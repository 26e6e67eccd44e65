package io.shoal.daemon.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.agent.exec.HollowExecutor;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.Pem;
import io.shoal.daemon.Daemon;
import io.shoal.daemon.DaemonConfig;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.tls.ApiCertificateIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: {@code --metrics-addr} on a non-loopback address (every interface) is closed outside a swarm,
 * then served only with mutual TLS: the node's certificate (issued by the swarm CA, names
 * swarm-manager) and an API client certificate of this swarm; plain HTTP and TLS without a client
 * certificate get nothing. Leaving the swarm closes it again. Traffic stays on loopback.
 */
class OpsTlsInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final SecureRandom random = new SecureRandom();
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    scheduler.shutdownNow();
  }

  @Test
  void nonLoopbackMetricsNeedTheSwarmsClientCertificates() throws Exception {
    int listen = freePort();
    int metricsPort = freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", freePort(), "tls-node");
    Clock clock = Clock.systemUTC();
    daemon = new Daemon(cfg, clock, random, id -> new HollowExecutor("tls-node", clock, scheduler, Duration.ofMillis(20)),
        c -> clock.instant().plus(Duration.ofDays(30)),
        node -> new Operations(OpsAddress.parse("--metrics-addr", "0.0.0.0:" + metricsPort), null, node, clock));
    daemon.start();
    assertThat(daemon.metricsPort()).as("no swarm, no CA: closed rather than plain").isEqualTo(-1);

    daemon.init(new InitRequest("127.0.0.1:" + listen, "127.0.0.1", null, null, null, null, null, null, null, null));
    assertThat(daemon.metricsPort()).isEqualTo(metricsPort);

    KeyPair kp = NodeCertificates.generateKeyPair(random);
    ApiCertificateIssuer.ClientCertificate issued = daemon.issueClientCertificate(
        new ApiCertificateIssuer.ClientRequest("prometheus", NodeCertificates.createCsr(kp, random), null));
    X509Certificate ca = Pem.readCertificate(issued.caCertificate());
    X509Certificate cert = Pem.readCertificate(issued.certificate());

    String scrape = get(tls(ca, kp.getPrivate(), cert), metricsPort);
    assertThat(scrape).startsWith("HTTP/1.1 200").contains("shoal_raft_term").contains("jvm_memory_used_bytes");
    assertThatThrownBy(() -> get(tls(ca, null, null), metricsPort)).as("no client certificate").isInstanceOf(IOException.class);
    String plain;
    try {
      plain = get(null, metricsPort);
    } catch (IOException e) {
      plain = "";
    }
    assertThat(plain).as("plain HTTP gets no metrics").doesNotContain("shoal_raft_term");

    daemon.leave(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> daemon.metricsPort() == -1);
  }

  /** A TLS client trusting {@code ca}, presenting {@code cert} if given; plain when {@code ca} is null. */
  private SSLContext tls(X509Certificate ca, PrivateKey key, X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("swarm-root", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    if (key != null) ks.setKeyEntry("client", key, new char[0], new X509Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
    return ctx;
  }

  /** GET /metrics over a raw socket (the server's certificate names the node, not 127.0.0.1). */
  private static String get(SSLContext ctx, int port) throws IOException {
    try (Socket s = ctx == null ? new Socket("127.0.0.1", port) : ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      if (s instanceof SSLSocket ssl) ssl.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write("GET /metrics HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
