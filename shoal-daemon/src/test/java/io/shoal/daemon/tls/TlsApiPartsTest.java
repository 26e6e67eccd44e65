package io.shoal.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.ca.ApiCertificates;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;

/** The TLS API's parts: its address flag, its certificate names, and its server certificate renewal. */
class TlsApiPartsTest {
  @Test
  void addressesParseAsDockerWritesThem() {
    assertThat(TlsApi.Address.parse("0.0.0.0:2376")).isEqualTo(new TlsApi.Address("0.0.0.0", 2376));
    assertThat(TlsApi.Address.parse("10.0.0.5")).isEqualTo(new TlsApi.Address("10.0.0.5", 2376));
    assertThat(TlsApi.Address.parse(":2777")).isEqualTo(new TlsApi.Address("0.0.0.0", 2777));
    assertThat(TlsApi.Address.parse("[::1]:2376")).isEqualTo(new TlsApi.Address("::1", 2376));
    assertThat(TlsApi.Address.parse("m1.example:0")).isEqualTo(new TlsApi.Address("m1.example", 0));
    for (String bad : List.of("", "h:x", "h:70000", "::1:2376", "[::1", "[::1]x")) {
      assertThatThrownBy(() -> TlsApi.Address.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid --tls-api-addr");
    }
  }

  @Test
  void certificateNamesEveryWayToReachTheNode() {
    assertThat(TlsApiNames.of("10.0.0.5", "M1", List.of("10.0.0.5", "0.0.0.0", "10.0.1.5"), List.of("192.168.1.9")))
        .containsExactly("localhost", "127.0.0.1", "::1", "m1", "10.0.0.5", "10.0.1.5");
    assertThat(TlsApiNames.of("0.0.0.0", null, List.of("10.0.0.5:2377", "[fd00::5]:2377"), List.of("127.0.0.1", "192.168.1.9", "fe80::1%eth0")))
        .as("a wildcard bind names every interface address; ports, brackets and scoped addresses go")
        .containsExactly("localhost", "127.0.0.1", "::1", "10.0.0.5", "fd00::5", "192.168.1.9");
  }

  /** A clock tests move by hand. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    public Clock withZone(ZoneId zone) {
      return this;
    }

    public Instant instant() {
      return now;
    }
  }

  @Test
  void theServerCertificateIsRenewedLiveTwoThirdsIntoItsLife() throws Exception {
    MovableClock clock = new MovableClock();
    SecureRandom random = new SecureRandom();
    RootCA ca = RootCA.create(clock, random);
    Supplier<NodeCredentials> issuer = () -> ApiCertificates.issueServer(ca, "n1", "c1", List.of("127.0.0.1"), Duration.ofHours(1), clock, random);
    RenewingKeyManager km = new RenewingKeyManager(issuer, clock);
    Handler ok = new Handler.Abstract() {
      public boolean handle(org.eclipse.jetty.server.Request req, Response res, org.eclipse.jetty.util.Callback cb) {
        res.setStatus(200);
        cb.succeeded();
        return true;
      }
    };
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    NodeCredentials client = new NodeCredentials(kp.getPrivate(),
        ApiCertificates.signClient(ca, NodeCertificates.createCsr(kp, random), "alice", "c1", null, clock, random));
    try (TlsApiServer server = new TlsApiServer("127.0.0.1", 0, ok, km, MutualTls.apiClientTrustManager(ca, "c1")).start()) {
      BigInteger first = served(server.port(), ca, client);
      clock.now = clock.now.plus(Duration.ofMinutes(39));
      assertThat(served(server.port(), ca, client)).as("not due yet").isEqualTo(first);
      // the JDK checks dates by the real clock: stay within the certificates' one-hour backdating
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      assertThat(served(server.port(), ca, client)).as("renewed, same listener").isNotEqualTo(first);
    }
  }

  @Test
  void aFailedRenewalKeepsServingAndRetriesLater() {
    MovableClock clock = new MovableClock();
    SecureRandom random = new SecureRandom();
    RootCA ca = RootCA.create(clock, random);
    AtomicInteger calls = new AtomicInteger();
    RenewingKeyManager km = new RenewingKeyManager(() -> {
      if (calls.incrementAndGet() > 1) throw new IllegalStateException("no CA key");
      return ApiCertificates.issueServer(ca, "n1", "c1", List.of("localhost"), Duration.ofHours(3), clock, random);
    }, clock);
    NodeCredentials first = km.credentials();
    clock.now = clock.now.plus(Duration.ofHours(2));
    km.renewIfDue();
    km.renewIfDue();
    assertThat(calls).as("one try, then a pause").hasValue(2);
    assertThat(km.credentials()).isSameAs(first);
    clock.now = clock.now.plus(RenewingKeyManager.RETRY);
    km.renewIfDue();
    assertThat(calls).hasValue(3);
  }

  /** The serial of the certificate the server presents to a new connection. */
  private static BigInteger served(int port, RootCA ca, NodeCredentials client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {MutualTls.keyManager(client)}, tmf.getTrustManagers(), new SecureRandom());
    HttpClient http = HttpClient.newBuilder().sslContext(ctx).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }
}
