package io.shoal.cli.command.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.cli.TestCli;
import io.shoal.cli.client.FakeDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: {@code shoal stack} and {@link ApiStackTarget} over a real HTTP connection (unix socket) to
 * {@link MiniSwarm}, a stateful fake of the daemon's API: what is written, in which order, what is
 * printed, and that refused deploys write nothing.
 */
class StackEndToEndTest {
  @TempDir
  Path dir;

  private MiniSwarm swarm;
  private FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    swarm = new MiniSwarm();
    daemon = new FakeDaemon(dir, swarm);
    Files.writeString(dir.resolve("pw.txt"), "hunter2");
    Files.writeString(dir.resolve("app.yml"), """
        services:
          web:
            image: busybox:1
            build: .
            ports: ["8080:80"]
            networks: [front, back]
            secrets: [pw]
            deploy: {replicas: 2}
          worker:
            image: busybox:1
            networks: [back]
        networks:
          front:
          back:
            labels: {purpose: backend}
        secrets:
          pw:
            file: ./pw.txt
        """);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private TestCli cli() {
    return new TestCli(daemon.uri(), false);
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void deployCreatesEverythingInOrderAndPrintsDockersLines() {
    TestCli t = cli();
    assertThat(t.run("stack", "deploy", "-c", file("app.yml"), "shop")).as(t.err()).isZero();
    assertThat(t.err()).isEqualTo("Ignoring unsupported options: build\n\n");
    assertThat(t.out()).isEqualTo("""
        Creating network shop_back
        Creating network shop_front
        Creating secret shop_pw
        Creating service shop_web
        Creating service shop_worker
        """);
    assertThat(swarm.writes).containsExactly("CREATE networks shop_back", "CREATE networks shop_front",
        "CREATE secrets shop_pw", "CREATE services shop_web", "CREATE services shop_worker");
    ObjectNode web = swarm.find("services", "shop_web");
    JsonNode ref = web.at("/Spec/TaskTemplate/ContainerSpec/Secrets/0");
    assertThat(ref.path("SecretID").asText()).isEqualTo(swarm.find("secrets", "shop_pw").path("ID").asText());
    assertThat(web.at("/Spec/Labels/com.docker.stack.namespace").asText()).isEqualTo("shop");
    assertThat(swarm.find("networks", "shop_back").at("/Labels/purpose").asText()).isEqualTo("backend");
  }

  @Test
  void redeployUpdatesOnlyWhatChangedAndPruneRemoves() throws Exception {
    assertThat(cli().run("stack", "deploy", "-c", file("app.yml"), "shop")).isZero();
    swarm.writes.clear();
    TestCli again = cli();
    assertThat(again.run("stack", "deploy", "-c", file("app.yml"), "shop")).isZero();
    assertThat(again.out()).isEmpty();
    assertThat(swarm.writes).isEmpty();

    Files.writeString(dir.resolve("app.yml"), Files.readString(dir.resolve("app.yml"))
        .replace("replicas: 2", "replicas: 3").replace("  worker:\n    image: busybox:1\n    networks: [back]\n", ""));
    TestCli changed = cli();
    assertThat(changed.run("stack", "deploy", "--prune", "-c", file("app.yml"), "shop")).as(changed.err()).isZero();
    String webId = swarm.find("services", "shop_web").path("ID").asText();
    assertThat(changed.out()).isEqualTo("Updating service shop_web (id: " + webId + ")\nRemoving service shop_worker\n");
    assertThat(swarm.writes).containsExactly("UPDATE services shop_web", "DELETE services shop_worker");
    assertThat(swarm.find("services", "shop_web").at("/Spec/Mode/Replicated/Replicas").asInt()).isEqualTo(3);
  }

  @Test
  void dependsOnHealthyWaitsForTheDependencyBeforeCreating() throws Exception {
    Files.writeString(dir.resolve("dep.yml"), """
        services:
          db:
            image: busybox:1
            healthcheck: {test: ["CMD", "true"], interval: 1s}
          web:
            image: busybox:1
            depends_on:
              db: {condition: service_healthy}
        """);
    Map<String, Integer> polls = new HashMap<>();
    List<String> seenByPoll = new ArrayList<>();
    // db's task is "starting" (not yet healthy) for its first three polls, then running
    swarm.tasks = s -> {
      String name = s.at("/Spec/Name").asText();
      int n = polls.merge(name, 1, Integer::sum);
      seenByPoll.add(name + "#" + n + " services=" + swarm.store.get("services").size());
      return List.of(MiniSwarm.task(s, n <= 3 ? "starting" : "running", 1));
    };
    TestCli t = cli();
    Instant before = t.clock.instant();
    assertThat(t.run("stack", "deploy", "-c", file("dep.yml"), "app")).as(t.err()).isZero();
    assertThat(t.out()).isEqualTo("""
        Creating network app_default
        Creating service app_db
        Waiting for app_db (service_healthy)
        Creating service app_web
        """);
    assertThat(swarm.writes).containsExactly("CREATE networks app_default", "CREATE services app_db", "CREATE services app_web");
    // web was created only after the fourth poll saw db running; the clock moved by the pauses
    assertThat(seenByPoll).containsExactly("app_db#1 services=1", "app_db#2 services=1", "app_db#3 services=1",
        "app_db#4 services=1");
    assertThat(Duration.between(before, t.clock.instant())).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void dependencyNeverHealthyFailsAfterTheTimeoutNamingIt() throws Exception {
    Files.writeString(dir.resolve("dep.yml"), """
        services:
          db: {image: busybox:1}
          web:
            image: busybox:1
            depends_on: {db: {condition: service_healthy}}
        """);
    swarm.tasks = s -> List.of(MiniSwarm.task(s, "starting", 1));
    TestCli t = cli();
    assertThat(t.run("stack", "deploy", "--depends-on-timeout", "10s", "-c", file("dep.yml"), "app")).isEqualTo(1);
    assertThat(t.err()).contains("service web depends on app_db (service_healthy), which was not ready after PT10S");
    assertThat(swarm.find("services", "app_web")).isNull();
  }

  @Test
  void composeFromStdin() {
    TestCli t = cli();
    t.cli.stdin(new java.io.ByteArrayInputStream("services:\n  one: {image: busybox:1}\n".getBytes()));
    assertThat(t.run("stack", "deploy", "-c", "-", "in")).as(t.err()).isZero();
    assertThat(t.out()).isEqualTo("Creating network in_default\nCreating service in_one\n");
    TestCli missing = cli();
    assertThat(missing.run("stack", "deploy", "-c", file("nope.yml"), "in")).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("open " + file("nope.yml") + ": no such file or directory\n");
  }

  @Test
  void cycleIsRefusedBeforeAnyRequest() throws Exception {
    Files.writeString(dir.resolve("cycle.yml"), """
        services:
          a: {image: busybox:1, depends_on: [b]}
          b: {image: busybox:1, depends_on: [c]}
          c: {image: busybox:1, depends_on: [a]}
        """);
    TestCli t = cli();
    assertThat(t.run("stack", "deploy", "-c", file("cycle.yml"), "cyc")).isEqualTo(1);
    assertThat(t.err()).isEqualTo("depends_on forms a cycle: a -> b -> c -> a\n");
    assertThat(daemon.apiRequests()).isEmpty();
  }

  @Test
  void missingExternalWritesNothing() throws Exception {
    Files.writeString(dir.resolve("ext.yml"), """
        services:
          s: {image: busybox:1, networks: [outside]}
        networks:
          outside: {external: true}
        """);
    TestCli t = cli();
    assertThat(t.run("stack", "deploy", "-c", file("ext.yml"), "bad")).isEqualTo(1);
    assertThat(t.err()).contains("network \"outside\" is declared as external, but could not be found");
    assertThat(swarm.writes).isEmpty();
    assertThat(daemon.apiRequests()).allMatch(r -> r.method().equals("GET"));
  }

  @Test
  void aServiceOfTheSameNameOutsideTheStackIsRefusedBeforeAnyWrite() throws Exception {
    Files.writeString(dir.resolve("one.yml"), "services:\n  web: {image: busybox:1}\n");
    swarm.store.get("services").put("other", (ObjectNode) io.shoal.api.json.Json.lenient().readTree(
        "{\"ID\":\"other\",\"Version\":{\"Index\":1},\"Spec\":{\"Name\":\"shop_web\"}}"));
    TestCli t = cli();
    assertThat(t.run("stack", "deploy", "-c", file("one.yml"), "shop")).isEqualTo(1);
    assertThat(t.err()).isEqualTo("service shop_web already exists and is not part of stack shop; remove or rename it first\n");
    assertThat(swarm.writes).isEmpty();
  }

  @Test
  void lsServicesPsAndRm() {
    assertThat(cli().run("stack", "deploy", "-c", file("app.yml"), "shop")).isZero();
    swarm.writes.clear();
    TestCli ls = cli();
    assertThat(ls.run("stack", "ls")).isZero();
    assertThat(ls.out()).isEqualTo("NAME      SERVICES\nshop      2\n");

    TestCli services = cli();
    assertThat(services.run("stack", "services", "shop", "--format", "{{.Name}} {{.Mode}} {{.Replicas}}")).isZero();
    assertThat(services.out()).isEqualTo("shop_web replicated 1/2\nshop_worker replicated 1/1\n");

    TestCli ps = cli();
    assertThat(ps.run("stack", "ps", "shop", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}")).isZero();
    assertThat(ps.out()).isEqualTo("shop_web.1 host1 Running About a minute ago\nshop_worker.1 host1 Running About a minute ago\n");

    TestCli rm = cli();
    assertThat(rm.run("stack", "rm", "shop")).isZero();
    assertThat(rm.out()).isEqualTo("""
        Removing service shop_web
        Removing service shop_worker
        Removing secret shop_pw
        Removing network shop_back
        Removing network shop_front
        """);
    assertThat(swarm.writes).containsExactly("DELETE services shop_web", "DELETE services shop_worker",
        "DELETE secrets shop_pw", "DELETE networks shop_back", "DELETE networks shop_front");

    TestCli none = cli();
    assertThat(none.run("stack", "rm", "shop")).isZero();
    assertThat(none.err()).isEqualTo("Nothing found in stack: shop\n");
    TestCli psNone = cli();
    assertThat(psNone.run("stack", "ps", "shop")).isEqualTo(1);
    assertThat(psNone.err()).isEqualTo("nothing found in stack: shop\n");
    TestCli svcNone = cli();
    assertThat(svcNone.run("stack", "services", "shop")).isZero();
    assertThat(svcNone.err()).isEqualTo("Nothing found in stack: shop\n");
  }

  @Test
  void rmGoesOnAfterAFailureAndThenFails() {
    assertThat(cli().run("stack", "deploy", "-c", file("app.yml"), "shop")).isZero();
    String netId = swarm.find("networks", "shop_back").path("Id").asText();
    // the network vanishes between the listing and the delete, as in docker's "network ... not found"
    daemon.handler(r -> {
      if (r.method().equals("DELETE") && r.path().endsWith("/networks/" + netId)) {
        return io.shoal.cli.client.FakeDaemon.Response.error(404, "network " + netId + " not found");
      }
      return swarm.apply(r);
    });
    TestCli t = cli();
    assertThat(t.run("stack", "rm", "shop")).isEqualTo(1);
    assertThat(t.out()).endsWith("Removing network shop_back\nRemoving network shop_front\n");
    assertThat(t.err()).isEqualTo("Failed to remove network " + netId + ": Error response from daemon: network " + netId
        + " not found\nFailed to remove some resources from stack: shop\n");
    assertThat(swarm.find("networks", "shop_front")).isNull();
  }

  @Test
  void stateTurnsNetworkResourcesIntoRecords() {
    assertThat(cli().run("stack", "deploy", "-c", file("app.yml"), "shop")).isZero();
    TestCli t = cli();
    ApiStackTarget target = new ApiStackTarget(t.cli.api(), w -> { });
    var state = target.state("shop");
    assertThat(state.network("shop_back").orElseThrow().spec().labels()).containsEntry("purpose", "backend");
    assertThat(state.network("shop_back").orElseThrow().spec().scope()).isEqualTo("swarm");
    assertThat(state.services()).hasSize(2);
    assertThat(state.secret("shop_pw")).isPresent();
    var r = target.readiness(state.service("shop_web").orElseThrow().id());
    assertThat(r.desired()).isEqualTo(2);
    assertThat(r.running()).isEqualTo(1);
  }
}
