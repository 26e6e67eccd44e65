package io.shoal.cli.command.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.ca.ApiCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import io.shoal.cli.TestCli;
import io.shoal.cli.client.FakeDaemon;
import io.shoal.cli.client.FakeDaemon.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T1: {@code shoal swarm client-cert} against a fake daemon that signs like a manager would: the
 * CSR goes out, the key stays, the three files land where docker looks, and a refused command
 * writes nothing.
 */
class ClientCertTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final RootCA ca = RootCA.create(Clock.systemUTC(), random);

  private FakeDaemon signer() throws Exception {
    return new FakeDaemon(dir, r -> {
      if (!r.path().endsWith("/shoal/client-certificates")) return Response.ok("{}");
      JsonNode req = Json.lenient().valueToTree(Json.read(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.class));
      var cert = ApiCertificates.signClient(ca, req.path("CSR").asText(), req.path("Name").asText(), "c1", null, Clock.systemUTC(), random);
      return Response.json(201, Json.string(Map.of("Name", req.path("Name").asText(), "Certificate", Pem.encodeCertificate(cert),
          "CACertificate", ca.certificatePem(), "NotAfter", cert.getNotAfter().toInstant().toString())));
    });
  }

  @Test
  void writesCaCertAndKeyForDocker() throws Exception {
    try (FakeDaemon d = signer()) {
      TestCli t = new TestCli(d.uri(), false);
      Path out = dir.resolve("certs");
      assertThat(t.run("swarm", "client-cert", "--name", "alice", "--expiry", "48h", "--out", out.toString())).as(t.err()).isZero();

      FakeDaemon.Request sent = d.apiRequests().get(0);
      assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1.44/shoal/client-certificates");
      JsonNode body = Json.lenient().readTree(sent.body());
      assertThat(body.path("Name").asText()).isEqualTo("alice");
      assertThat(body.path("CSR").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
      assertThat(body.path("Expiry").asLong()).isEqualTo(48L * 3600 * 1_000_000_000L);
      assertThat(sent.body()).doesNotContain("PRIVATE KEY");

      NodeCredentials creds = NodeCredentials.fromPem(Files.readString(out.resolve("cert.pem")), Files.readString(out.resolve("key.pem")));
      assertThat(ApiCertificates.clientName(creds.certificate(), "c1")).isEqualTo("alice");
      assertThat(RootCA.trustOnly(Files.readString(out.resolve("ca.pem")))).isEqualTo(ca.withoutKey());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("key.pem")))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("cert.pem")))).isEqualTo("rw-r--r--");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
      try (var files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("ca.pem", "cert.pem", "key.pem");
      }
      assertThat(t.out()).contains("docker --tlsverify --tlscacert " + out.resolve("ca.pem"));

      // a second run leaves the files alone unless told
      String key = Files.readString(out.resolve("key.pem"));
      TestCli again = new TestCli(d.uri(), false);
      assertThat(again.run("swarm", "client-cert", "--name", "alice", "--out", out.toString())).isEqualTo(1);
      assertThat(again.err()).contains("already holds ca.pem, cert.pem, key.pem; use --force");
      assertThat(Files.readString(out.resolve("key.pem"))).isEqualTo(key);
      assertThat(d.apiRequests()).hasSize(1);
      TestCli forced = new TestCli(d.uri(), false);
      assertThat(forced.run("swarm", "client-cert", "--name", "alice", "--out", out.toString(), "--force")).isZero();
      assertThat(Files.readString(out.resolve("key.pem"))).isNotEqualTo(key);
    }
  }

  @Test
  void badFlagsSendNothingAndWriteNothing() throws Exception {
    try (FakeDaemon d = signer()) {
      Path out = dir.resolve("none");
      TestCli t = new TestCli(d.uri(), false);
      assertThat(t.run("swarm", "client-cert", "--name", "a b", "--out", out.toString())).isEqualTo(1);
      assertThat(t.err()).contains("invalid argument \"a b\" for \"--name\" flag");
      TestCli e = new TestCli(d.uri(), false);
      assertThat(e.run("swarm", "client-cert", "--name", "bob", "--expiry", "soon", "--out", out.toString())).isEqualTo(1);
      assertThat(e.err()).contains("--expiry");
      assertThat(d.apiRequests()).isEmpty();
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void defaultsToDockerCertPathThenHome() {
    TestCli t = new TestCli(null, false);
    ClientCert c = t.parse("swarm", "client-cert");
    assertThat(c.directory()).isEqualTo(Path.of(System.getProperty("user.home"), ".docker"));
  }
}
