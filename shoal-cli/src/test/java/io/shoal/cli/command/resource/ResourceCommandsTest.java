package io.shoal.cli.command.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Network;
import io.shoal.cli.TestCli;
import io.shoal.cli.UsageException;
import io.shoal.cli.command.swarm.SwarmCommand;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** T1: flag parsing and table formatting of secret, config, network, swarm join and swarm update. */
class ResourceCommandsTest {
  private final TestCli t = new TestCli(null, false);

  @Test
  void networkCreateDefaultsToOverlayAndBuildsIpam() throws Exception {
    NetworkCommand.Create c = t.parse("network", "create", "--attachable", "--label", "team=a", "--label", "bare",
        "--subnet", "10.1.0.0/24", "--gateway", "10.1.0.1", "-o", "encrypted", "backend");
    Network.NetworkSpec spec = c.request();
    assertThat(spec.name()).isEqualTo("backend");
    assertThat(spec.driver()).isEqualTo("overlay");
    assertThat(spec.attachable()).isTrue();
    assertThat(spec.labels()).isEqualTo(Map.of("team", "a", "bare", ""));
    assertThat(spec.options()).containsEntry("encrypted", "");
    JsonNode body = Json.lenient().valueToTree(spec);
    assertThat(body.at("/IPAM/Config/0/Subnet").asText()).isEqualTo("10.1.0.0/24");
    assertThat(body.at("/IPAM/Config/0/Gateway").asText()).isEqualTo("10.1.0.1");
    assertThat(body.path("Name").asText()).isEqualTo("backend");
  }

  @Test
  void networkCreateRefusesBadFlags() {
    NetworkCommand.Create bad = t.parse("network", "create", "--subnet", "ten/8", "n");
    assertThatThrownBy(bad::request).isInstanceOf(UsageException.class)
        .hasMessage("invalid argument \"ten/8\" for \"--subnet\" flag: invalid CIDR address: ten/8");
    NetworkCommand.Create gw = t.parse("network", "create", "--gateway", "10.0.0.1", "n");
    assertThatThrownBy(gw::request).hasMessage("every ip-range or gateway must have a corresponding subnet");
    NetworkCommand.Create local = t.parse("network", "create", "--scope", "local", "n");
    assertThatThrownBy(local::request).isInstanceOf(UsageException.class);
  }

  @Test
  void networkTableIsDockers() {
    JsonNode list = json("[{\"Name\":\"shop_back\",\"Id\":\"abcdef0123456789abcdef\",\"Driver\":\"overlay\",\"Scope\":\"swarm\"},"
        + "{\"Name\":\"a\",\"Id\":\"1234\",\"Driver\":\"overlay\",\"Scope\":\"swarm\",\"Labels\":{\"x\":\"y\"}}]");
    List<Map<String, String>> rows = NetworkCommand.rows(list, false);
    assertThat(rows).extracting(r -> r.get("Name")).containsExactly("a", "shop_back");
    assertThat(rows.get(1).get("ID")).isEqualTo("abcdef012345");
    assertThat(rows.get(0).get("Labels")).isEqualTo("x=y");
  }

  @Test
  void secretAndConfigTables() {
    JsonNode list = json("[{\"ID\":\"s2id\",\"Spec\":{\"Name\":\"zeta\"},\"CreatedAt\":\"2026-11-21T11:00:00Z\",\"UpdatedAt\":\"2026-11-21T11:58:00Z\"},"
        + "{\"ID\":\"s1id\",\"Spec\":{\"Name\":\"alpha\",\"Labels\":{\"k\":\"v\"},\"Driver\":{\"Name\":\"vault\"}},"
        + "\"CreatedAt\":\"2026-11-19T12:00:00Z\",\"UpdatedAt\":\"2026-11-21T11:59:59Z\"}]");
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    List<Map<String, String>> rows = SecretCommand.rows(SecretCommand.Kind.SECRET, list, now);
    assertThat(rows).extracting(r -> r.get("Name")).containsExactly("alpha", "zeta");
    assertThat(rows.get(0)).containsEntry("Driver", "vault").containsEntry("CreatedAt", "2 days ago")
        .containsEntry("UpdatedAt", "1 second ago").containsEntry("Labels", "k=v");
    assertThat(rows.get(1)).containsEntry("CreatedAt", "About an hour ago").containsEntry("UpdatedAt", "2 minutes ago");
    assertThat(SecretCommand.Kind.SECRET.headers().values()).containsExactly("ID", "NAME", "DRIVER", "CREATED", "UPDATED", "LABELS");
    assertThat(SecretCommand.Kind.CONFIG.headers().values()).containsExactly("ID", "NAME", "CREATED", "UPDATED", "LABELS");
  }

  @Test
  void labelsKeepOrderAndBareKeys() {
    assertThat(Resources.labels(List.of("a=1", "b", "c=x=y"))).containsExactly(
        Map.entry("a", "1"), Map.entry("b", ""), Map.entry("c", "x=y"));
  }

  @Test
  void swarmJoinBuildsDockersJoinRequest() {
    SwarmCommand.Join j = t.parse("swarm", "join", "--token", "SWMTKN-1-abc-def", "--advertise-addr", "10.0.0.2",
        "--availability", "drain", "10.0.0.1:2377");
    ObjectNode req = j.request();
    assertThat(req.toString()).isEqualTo("{\"ListenAddr\":\"0.0.0.0:2377\",\"AdvertiseAddr\":\"10.0.0.2\",\"DataPathAddr\":\"\","
        + "\"RemoteAddrs\":[\"10.0.0.1:2377\"],\"JoinToken\":\"SWMTKN-1-abc-def\",\"Availability\":\"drain\"}");
    SwarmCommand.Join bad = t.parse("swarm", "join", "--token", "x", "--availability", "sleepy", "h:1");
    assertThatThrownBy(bad::request).isInstanceOf(UsageException.class).hasMessageContaining("--availability");
    assertThat(t.run("swarm", "join", "h:1")).isEqualTo(1);
    assertThat(t.err()).contains("Missing required option: '--token=string'");
  }

  @Test
  void swarmUpdateChangesOnlyWhatFlagsName() {
    SwarmCommand.Update u = t.parse("swarm", "update", "--task-history-limit", "10", "--dispatcher-heartbeat", "10s",
        "--cert-expiry", "720h");
    JsonNode current = json("{\"Name\":\"default\",\"Orchestration\":{\"TaskHistoryRetentionLimit\":5},"
        + "\"Raft\":{\"SnapshotInterval\":10000},\"Dispatcher\":{\"HeartbeatPeriod\":5000000000}}");
    ObjectNode spec = u.apply(current);
    assertThat(spec.at("/Orchestration/TaskHistoryRetentionLimit").asLong()).isEqualTo(10);
    assertThat(spec.at("/Dispatcher/HeartbeatPeriod").asLong()).isEqualTo(10_000_000_000L);
    assertThat(spec.at("/CAConfig/NodeCertExpiry").asLong()).isEqualTo(720L * 3600 * 1_000_000_000L);
    assertThat(spec.at("/Raft/SnapshotInterval").asLong()).isEqualTo(10000);
    assertThat(spec.path("Name").asText()).isEqualTo("default");
    assertThat(current.at("/Orchestration/TaskHistoryRetentionLimit").asLong()).isEqualTo(5);
    SwarmCommand.Update bad = t.parse("swarm", "update", "--dispatcher-heartbeat", "soon");
    assertThatThrownBy(() -> bad.apply(current)).isInstanceOf(UsageException.class);
  }

  @Test
  void stackDeployFlags() {
    assertThat(t.run("stack", "deploy", "shop")).isEqualTo(1);
    assertThat(t.err()).contains("Please specify a Compose file (with --compose-file).");
    assertThat(t.run("stack", "deploy", "-c", "x.yml", "-bad")).isEqualTo(1);
    assertThat(t.run("stack", "deploy", "-c", "x.yml", "--depends-on-timeout", "forever", "shop")).isEqualTo(1);
    assertThat(t.err()).contains("invalid argument \"forever\" for \"--depends-on-timeout\" flag");
    assertThat(t.run("stack", "deploy", "-c", "x.yml", "sh/op")).isEqualTo(1);
    assertThat(t.err()).contains("invalid stack name: \"sh/op\"");
  }

  private static JsonNode json(String s) {
    try {
      return Json.lenient().readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
