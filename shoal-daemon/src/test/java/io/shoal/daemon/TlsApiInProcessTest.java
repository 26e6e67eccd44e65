package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.json.Json;
import io.shoal.ca.ApiCertificates;
import io.shoal.ca.CertificateStore;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: the Docker API over TCP with mutual TLS (dockerd's --tlsverify model on the swarm CA), on a
 * whole daemon in-process. A client certificate is issued over the unix socket, as `shoal swarm
 * client-cert` does, then a Java HTTPS client — which checks the server's name as the docker CLI
 * does — calls the API with it, without one, with one from another CA, and with a node's.
 */
class TlsApiInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final SecureRandom random = new SecureRandom();
  private Daemon daemon;
  private int listenPort;
  private int raftPort;

  private Path socket() {
    return dir.resolve("shoal.sock");
  }

  private Daemon start() throws Exception {
    if (listenPort == 0) {
      listenPort = freePort();
      raftPort = freePort();
    }
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("unix://" + socket(), "tcp://127.0.0.1:0"), null,
        "hollow", null, "127.0.0.1:" + listenPort, "127.0.0.1", raftPort, "t3-tls", null, "127.0.0.1:0");
    Daemon d = new Daemon(cfg, Clock.systemUTC(), random,
        id -> new HollowExecutor("t3-tls", Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    d.start();
    return d;
  }

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    scheduler.shutdownNow();
  }

  @Test
  void dockerTlsVerifyModelOnTheSwarmCa() throws Exception {
    daemon = start();
    assertThat(daemon.tlsApiPort()).as("no swarm, no CA: the TLS port stays closed").isEqualTo(-1);
    Reply noSwarm = unix("POST", "/v1.44/shoal/client-certificates", request("alice", csr(NodeCertificates.generateKeyPair(random))));
    assertThat(noSwarm.status()).isEqualTo(503);

    Reply init = unix("POST", "/v1.44/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1\"}");
    assertThat(init.status()).as(init.body()).isEqualTo(200);
    int port = daemon.tlsApiPort();
    assertThat(port).isPositive();
    String base = "https://127.0.0.1:" + port + "/v1.44";

    // issue a client certificate over the unix socket: the key never leaves the client
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    Reply issued = unix("POST", "/v1.44/shoal/client-certificates", request("alice", csr(kp)));
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    JsonNode cert = Json.lenient().readTree(issued.body());
    NodeCredentials alice = new NodeCredentials(kp.getPrivate(), Pem.readCertificate(cert.get("Certificate").asText()));
    RootCA ca = RootCA.trustOnly(cert.get("CACertificate").asText());
    assertThat(ApiCertificates.clientName(alice.certificate(), null)).isEqualTo("alice");
    assertThat(cert.get("NotAfter").asText()).isNotBlank();

    // with the client certificate: the API answers, writes included
    HttpClient withCert = https(ca, alice.privateKey(), alice.certificate());
    HttpResponse<String> nodes = call(withCert, "GET", base + "/nodes", null);
    assertThat(nodes.statusCode()).isEqualTo(200);
    assertThat(Json.lenient().readTree(nodes.body())).hasSize(1);
    HttpResponse<String> created = call(withCert, "POST", base + "/services/create",
        "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":1}}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(call(withCert, "GET", "https://localhost:" + port + "/_ping", null).statusCode())
        .as("the server certificate names localhost too").isEqualTo(200);

    // the issuing route is never served on TCP, with or without TLS, and nothing is issued
    HttpResponse<String> overTls = call(withCert, "POST", base + "/shoal/client-certificates", request("mallory", csr(kp)));
    assertThat(overTls.statusCode()).isEqualTo(403);
    assertThat(overTls.body()).contains("only on the daemon's unix socket");
    HttpResponse<String> overPlain = call(HttpClient.newHttpClient(), "POST",
        "http://127.0.0.1:" + daemon.apiPort() + "/v1.44/shoal/client-certificates", request("mallory", csr(kp)));
    assertThat(overPlain.statusCode()).isEqualTo(403);

    // bad requests: a clear 400, nothing issued
    Reply badName = unix("POST", "/v1.44/shoal/client-certificates", request("a b", csr(kp)));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body()).contains("invalid client name");
    Reply badCsr = unix("POST", "/v1.44/shoal/client-certificates", "{\"Name\":\"bob\",\"CSR\":\"not a csr\"}");
    assertThat(badCsr.status()).isEqualTo(400);
    Reply shortLife = unix("POST", "/v1.44/shoal/client-certificates",
        "{\"Name\":\"bob\",\"CSR\":" + Json.string(csr(kp)) + ",\"Expiry\":60000000000}");
    assertThat(shortLife.status()).isEqualTo(400);
    assertThat(shortLife.body()).contains("minimum certificate expiry time is 1h");

    // refused at the handshake: no certificate, another CA's, a node's (same CA, but not a client's)
    assertThatThrownBy(() -> call(https(ca, null, null), "GET", base + "/nodes", null)).isInstanceOf(IOException.class);
    RootCA other = RootCA.create(Clock.systemUTC(), random);
    KeyPair okp = NodeCertificates.generateKeyPair(random);
    X509Certificate foreign = ApiCertificates.signClient(other, csr(okp), "alice", "x", null, Clock.systemUTC(), random);
    assertThatThrownBy(() -> call(https(ca, okp.getPrivate(), foreign), "GET", base + "/nodes", null)).isInstanceOf(IOException.class);
    CertificateStore store = new CertificateStore(dir.resolve("data"));
    NodeCredentials node = store.readNode(ca, Clock.systemUTC().instant()).orElseThrow();
    assertThatThrownBy(() -> call(https(ca, node.privateKey(), node.certificate()), "GET", base + "/nodes", null))
        .as("a node certificate does not open the API").isInstanceOf(IOException.class);

    // a restart brings the listener back with the swarm, and the issued certificate still works
    daemon.close();
    daemon = start();
    int again = daemon.tlsApiPort();
    assertThat(again).isPositive();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
        call(https(ca, alice.privateKey(), alice.certificate()), "GET", "https://127.0.0.1:" + again + "/v1.44/services/web", null)
            .statusCode() == 200);

    // leaving the swarm closes it
    assertThat(unix("POST", "/v1.44/swarm/leave?force=1", "").status()).isEqualTo(200);
    assertThat(daemon.tlsApiPort()).isEqualTo(-1);
    assertThatThrownBy(() -> new Socket("127.0.0.1", again).close()).isInstanceOf(ConnectException.class);
  }

  // ---- helpers ----

  private String csr(KeyPair kp) {
    return NodeCertificates.createCsr(kp, random);
  }

  private static String request(String name, String csr) {
    return Json.string(Map.of("Name", name, "CSR", csr));
  }

  /** An HTTPS client that trusts {@code ca} (checking the server's name) and presents the given certificate, if any. */
  private static HttpClient https(RootCA ca, PrivateKey key, X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("swarm-root", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    // presents its certificate whatever the server asks for, so the server's check is what is tested
    KeyManager[] km = key == null ? new KeyManager[0] : new KeyManager[] {new X509ExtendedKeyManager() {
      public String[] getClientAliases(String t, Principal[] i) {
        return new String[] {"c"};
      }

      public String chooseClientAlias(String[] t, Principal[] i, Socket s) {
        return "c";
      }

      public String chooseEngineClientAlias(String[] t, Principal[] i, SSLEngine e) {
        return "c";
      }

      public String[] getServerAliases(String t, Principal[] i) {
        return null;
      }

      public String chooseServerAlias(String t, Principal[] i, Socket s) {
        return null;
      }

      public X509Certificate[] getCertificateChain(String a) {
        return new X509Certificate[] {cert};
      }

      public PrivateKey getPrivateKey(String a) {
        return key;
      }
    }};
    ctx.init(km, tmf.getTrustManagers(), new SecureRandom());
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpResponse<String> call(HttpClient http, String method, String url, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, url, body, Duration.ofSeconds(30));
  }

  private record Reply(int status, String body) {}

  /** One HTTP/1.1 request on the daemon's unix socket (the JDK's HTTP client cannot dial one). */
  private Reply unix(String method, String path, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: "
          + b.length + "\r\nConnection: close\r\n\r\n";
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(b));
      InputStream in = Channels.newInputStream(ch);
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(all.substring(9, 12));
      int split = all.indexOf("\r\n\r\n");
      return new Reply(status, split < 0 ? "" : all.substring(split + 4));
    }
  }

  private static int freePort() throws IOException {
    return ApiCalls.freePort();
  }
}
