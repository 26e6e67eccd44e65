package io.shoal.cli.command.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.cli.TestCli;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.FakeDaemon;
import io.shoal.cli.client.FakeDaemon.Framing;
import io.shoal.cli.client.FakeDaemon.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T1 parsing of {@code --secret}/{@code --config}, and T3 name → id resolution on create. */
class SecretFlagsTest {
  @TempDir
  Path dir;

  @Test
  void shortAndLongSyntax() {
    FileRefs.Ref s = FileRefs.parse("--secret", "db_pw");
    assertThat(s.source()).isEqualTo("db_pw");
    assertThat(s.file().name()).isEqualTo("db_pw");
    assertThat(s.file().uid()).isEqualTo("0");
    assertThat(s.file().mode()).isEqualTo(0444);
    FileRefs.Ref l = FileRefs.parse("--config", "source=motd,target=/etc/motd,uid=100,gid=101,mode=0400");
    assertThat(l.file()).extracting(f -> f.name(), f -> f.uid(), f -> f.gid(), f -> f.mode())
        .containsExactly("/etc/motd", "100", "101", 0400);
    assertThat(FileRefs.parse("--secret", "src=a,mode=292").file().mode()).isEqualTo(292);
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThatThrownBy(() -> FileRefs.parse("--secret", "target=x")).isInstanceOf(UsageException.class)
        .hasMessageContaining("source is required");
    assertThatThrownBy(() -> FileRefs.parse("--secret", "source=a,colour=red")).hasMessageContaining("invalid field");
    assertThatThrownBy(() -> FileRefs.parse("--secret", "source=a,mode=rw")).hasMessageContaining("invalid mode rw");
    assertThatThrownBy(() -> FileRefs.checkTargets("secret", List.of(FileRefs.parse("--secret", "a"),
        FileRefs.parse("--secret", "source=b,target=a")))).hasMessage("duplicate secret target for b not allowed");
  }

  @Test
  void createResolvesNamesToIdsAndRefusesUnknownOnes() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, r -> switch (r.method() + " " + r.path()) {
      case "GET /_ping" -> new Response(200, Map.of("API-Version", "1.44"), List.of("OK".getBytes()), Framing.LENGTH);
      case "GET /v1.44/secrets" -> Response.ok("[{\"ID\":\"sid1\",\"Spec\":{\"Name\":\"db_pw\"}}]");
      case "GET /v1.44/configs" -> Response.ok("[{\"ID\":\"cid1\",\"Spec\":{\"Name\":\"motd\"}}]");
      case "POST /v1.44/services/create" -> Response.json(201, "{\"ID\":\"svc1\"}");
      default -> Response.error(404, "no " + r.path());
    })) {
      TestCli t = new TestCli(d.uri(), false);
      assertThat(t.run("service", "create", "-d", "--secret", "db_pw", "--config", "source=motd,target=/etc/motd",
          "busybox")).as(t.err()).isZero();
      JsonNode body = Json.lenient().readTree(d.requests().stream()
          .filter(r -> r.path().equals("/v1.44/services/create")).findFirst().orElseThrow().body());
      JsonNode cs = body.at("/TaskTemplate/ContainerSpec");
      assertThat(cs.at("/Secrets/0/SecretID").asText()).isEqualTo("sid1");
      assertThat(cs.at("/Secrets/0/SecretName").asText()).isEqualTo("db_pw");
      assertThat(cs.at("/Secrets/0/File/Name").asText()).isEqualTo("db_pw");
      assertThat(cs.at("/Configs/0/ConfigID").asText()).isEqualTo("cid1");
      assertThat(cs.at("/Configs/0/File/Name").asText()).isEqualTo("/etc/motd");
      assertThat(cs.at("/Configs/0/File/Mode").asInt()).isEqualTo(0444);

      TestCli missing = new TestCli(d.uri(), false);
      assertThat(missing.run("service", "create", "-d", "--secret", "nope", "busybox")).isEqualTo(1);
      assertThat(missing.err()).isEqualTo("secret not found: nope\n");
      assertThat(d.requests().stream().filter(r -> r.method().equals("POST")).count()).isEqualTo(1);
    }
  }
}
