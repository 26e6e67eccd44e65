package io.shoal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.cli.client.FakeDaemon;
import io.shoal.cli.client.FakeDaemon.Framing;
import io.shoal.cli.client.FakeDaemon.Request;
import io.shoal.cli.client.FakeDaemon.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: whole commands against a fake daemon on a unix socket serving recorded responses: what is
 * sent, what is printed, exit codes. The daemon itself is tested by its own module.
 */
class CliEndToEndTest {
  @TempDir
  Path dir;

  private FakeDaemon daemon;
  private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
  private static final String WEB_ID = "9mnpnzenvg8p8tdbtq4wvbkcz";

  @BeforeEach
  void start() throws Exception {
    routes.put("GET /_ping", r -> new Response(200, Map.of("API-Version", "1.44"), List.of("OK".getBytes()), Framing.LENGTH));
    routes.put("GET /v1.44/info", r -> Response.ok(Fixtures.text("info.json")));
    routes.put("GET /v1.44/swarm", r -> Response.ok(Fixtures.text("swarm.json")));
    routes.put("GET /v1.44/nodes", r -> Response.ok(Fixtures.text("nodes.json")).framed(Framing.CHUNKED));
    routes.put("GET /v1.44/nodes/wun78h4i57us4ieeewqg3bhy3", r -> Response.ok(Fixtures.json("nodes.json").get(0).toString()));
    routes.put("GET /v1.44/services", r -> Response.ok(Fixtures.text("services.json")).framed(Framing.CHUNKED));
    routes.put("GET /v1.44/services/web", r -> Response.ok(Fixtures.json("services.json").get(0).toString()));
    routes.put("GET /v1.44/services/" + WEB_ID, r -> Response.ok(Fixtures.json("services.json").get(0).toString()));
    routes.put("GET /v1.44/tasks", r -> Response.ok(Fixtures.text("tasks.json")));
    daemon = new FakeDaemon(dir, r -> routes.getOrDefault(r.method() + " " + r.path(),
        x -> Response.error(404, "page not found: " + x.path())).apply(r));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private TestCli cli() {
    return new TestCli(daemon.uri(), false);
  }

  private Request only(String method, String path) {
    List<Request> rs = daemon.requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    assertThat(rs).hasSize(1);
    return rs.get(0);
  }

  private static JsonNode json(String s) throws Exception {
    return Json.lenient().readTree(s);
  }

  @Test
  void createDetachedPostsTheSpecAndPrintsTheId() throws Exception {
    routes.put("POST /v1.44/services/create", r -> Response.json(201, "{\"ID\":\"newid\",\"Warnings\":[\"careful\"]}"));
    TestCli t = cli();
    int code = t.run("service", "create", "-d", "--name", "web", "--replicas", "3", "-p", "8080:80",
        "shoal-test/busybox:1", "httpd", "-f", "-p", "80");
    assertThat(code).isZero();
    assertThat(t.out()).isEqualTo("newid\n");
    assertThat(t.err()).isEqualTo("careful\n");
    JsonNode body = json(only("POST", "/v1.44/services/create").body());
    assertThat(body.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(3);
    assertThat(body.at("/EndpointSpec/Ports/0/PublishedPort").asInt()).isEqualTo(8080);
    assertThat(body.at("/TaskTemplate/ContainerSpec/Args").toString()).isEqualTo("[\"httpd\",\"-f\",\"-p\",\"80\"]");
  }

  @Test
  void createWaitsForConvergence() {
    routes.put("POST /v1.44/services/create", r -> Response.json(201, "{\"ID\":\"" + WEB_ID + "\",\"Warnings\":null}"));
    String running = "[" + String.join(",", List.of(1, 2, 3).stream().map(slot ->
        "{\"ID\":\"t" + slot + "\",\"Version\":{\"Index\":" + (50 + slot) + "},\"ServiceID\":\"" + WEB_ID + "\",\"Slot\":" + slot
            + ",\"NodeID\":\"n1\",\"Status\":{\"State\":\"running\"},\"DesiredState\":\"running\"}").toList()) + "]";
    routes.put("GET /v1.44/tasks", r -> Response.ok(running));
    TestCli t = cli();
    assertThat(t.run("service", "create", "--name", "web", "--replicas", "3", "busybox")).isZero();
    assertThat(t.out()).startsWith(WEB_ID + "\noverall progress: 3 out of 3 tasks\n1/3: running\n2/3: running\n3/3: running\n")
        .endsWith("verify: Service converged\n");
    assertThat(daemon.requests().stream().filter(r -> r.path().equals("/v1.44/services")).findFirst().orElseThrow()
        .query("filters")).isEqualTo("{\"id\":{\"" + WEB_ID + "\":true}}");
  }

  @Test
  void badFlagsSendNothing() {
    TestCli t = cli();
    assertThat(t.run("service", "create", "--limit-memory", "lots", "busybox")).isEqualTo(1);
    assertThat(t.err()).isEqualTo("invalid argument \"lots\" for \"--limit-memory\" flag: invalid size: 'lots'\n");
    assertThat(t.run("service", "create", "--no-such-flag", "busybox")).isEqualTo(1);
    assertThat(t.err()).contains("Unknown option: '--no-such-flag'\nSee 'shoal service create --help'.\n");
    assertThat(t.run("service", "update", "--update-order", "sideways", "web")).isEqualTo(1);
    assertThat(t.run("service", "scale", "web=many")).isEqualTo(1);
    assertThat(t.run("node", "update", "--availability", "gone", "self")).isEqualTo(1);
    assertThat(t.run("swarm", "init", "--task-history-limit", "-1")).isEqualTo(1);
    assertThat(t.run("service", "ls", "--format", "{{.Nope}}")).isEqualTo(1);
    assertThat(daemon.requests()).isEmpty();
  }

  @Test
  void daemonErrorsArePrintedLikeDocker() {
    routes.put("POST /v1.44/services/create", r -> Response.error(409, "rpc error: code = AlreadyExists desc = name conflicts with an existing object"));
    TestCli t = cli();
    assertThat(t.run("service", "create", "-d", "--name", "web", "busybox")).isEqualTo(1);
    assertThat(t.err()).isEqualTo("Error response from daemon: rpc error: code = AlreadyExists desc = name conflicts with an existing object\n");
    assertThat(t.out()).isEmpty();
  }

  @Test
  void unreachableDaemon() {
    TestCli t = new TestCli("unix://" + dir.resolve("nobody.sock"), false);
    assertThat(t.run("service", "ls")).isEqualTo(1);
    assertThat(t.err()).startsWith("Cannot connect to the Shoal daemon at unix://").endsWith("Is the daemon running?\n");
  }

  @Test
  void updateReadsModifiesAndPostsWithVersion() throws Exception {
    routes.put("POST /v1.44/services/" + WEB_ID + "/update", r -> Response.ok("{\"Warnings\":[]}"));
    TestCli t = cli();
    assertThat(t.run("service", "update", "-d", "--env-add", "B=2", "--image", "busybox:2", "web")).isZero();
    assertThat(t.out()).isEqualTo("web\n");
    Request post = only("POST", "/v1.44/services/" + WEB_ID + "/update");
    assertThat(post.query("version")).isEqualTo("19");
    JsonNode body = json(post.body());
    assertThat(body.at("/TaskTemplate/ContainerSpec/Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
    assertThat(body.at("/TaskTemplate/ContainerSpec/Image").asText()).isEqualTo("busybox:2");
    assertThat(body.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(3);
    assertThat(body.at("/Name").asText()).isEqualTo("web");
  }

  @Test
  void staleVersionIsTheDaemonsError() {
    routes.put("POST /v1.44/services/" + WEB_ID + "/update", r -> Response.error(409, "update out of sequence"));
    TestCli t = cli();
    assertThat(t.run("service", "update", "-d", "--replicas", "2", "web")).isEqualTo(1);
    assertThat(t.err()).isEqualTo("Error response from daemon: update out of sequence\n");
  }

  @Test
  void scaleDetached() throws Exception {
    routes.put("POST /v1.44/services/" + WEB_ID + "/update", r -> Response.ok("{}"));
    TestCli t = cli();
    assertThat(t.run("service", "scale", "-d", "web=6")).isZero();
    assertThat(t.out()).isEqualTo("web scaled to 6\n");
    assertThat(json(only("POST", "/v1.44/services/" + WEB_ID + "/update").body()).at("/Mode/Replicated/Replicas").asInt()).isEqualTo(6);
  }

  @Test
  void rmReportsEachService() {
    routes.put("DELETE /v1.44/services/web", r -> Response.ok(""));
    routes.put("DELETE /v1.44/services/nope", r -> Response.error(404, "service nope not found"));
    TestCli t = cli();
    assertThat(t.run("service", "rm", "web", "nope")).isEqualTo(1);
    assertThat(t.out()).isEqualTo("web\n");
    assertThat(t.err()).isEqualTo("Error response from daemon: service nope not found\n");
  }

  @Test
  void lsAndPsPrintTables() {
    TestCli t = cli();
    assertThat(t.run("service", "ls")).isZero();
    assertThat(t.out()).startsWith("ID             NAME      MODE             REPLICAS               IMAGE                  PORTS\n")
        .contains("9mnpnzenvg8p   web       replicated       2/3 (max 2 per node)   shoal-test/busybox:1   *:8080->80/tcp\n");
    TestCli q = cli();
    assertThat(q.run("service", "ls", "-q")).isZero();
    assertThat(q.out()).isEqualTo("3j4cmxk1d7jyrzofnrn6hvwha\nx2jbtdrmd9y3m5zm2ywxxjq1v\n9mnpnzenvg8p8tdbtq4wvbkcz\n");
    TestCli f = cli();
    assertThat(f.run("service", "ls", "--format", "{{.Name}}: {{.Replicas}}")).isZero();
    assertThat(f.out()).contains("web: 2/3 (max 2 per node)\n");
    TestCli ps = cli();
    assertThat(ps.run("service", "ps", "web")).isZero();
    assertThat(ps.out()).startsWith("ID             NAME").contains("Running 5 seconds ago").contains(" \\_ web.1");
    assertThat(only("GET", "/v1.44/tasks").query("filters")).isEqualTo("{\"service\":{\"" + WEB_ID + "\":true}}");
  }

  @Test
  void inspectForms() throws Exception {
    TestCli t = cli();
    assertThat(t.run("service", "inspect", "web")).isZero();
    JsonNode arr = json(t.out());
    assertThat(arr.isArray()).isTrue();
    assertThat(arr.get(0).get("ID").asText()).isEqualTo(WEB_ID);
    assertThat(t.out()).startsWith("[\n    {\n        \"ID\": \"" + WEB_ID + "\",\n");
    TestCli p = cli();
    assertThat(p.run("service", "inspect", "--pretty", "web")).isZero();
    assertThat(p.out()).contains("Name:\t\tweb\n");
    TestCli f = cli();
    assertThat(f.run("service", "inspect", "-f", "{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}", "web")).isZero();
    assertThat(f.out()).isEqualTo("web 3\n");
    TestCli missing = cli();
    assertThat(missing.run("service", "inspect", "web", "ghost")).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error: no such service: ghost\n");
  }

  @Test
  void nodeCommands() throws Exception {
    TestCli ls = cli();
    assertThat(ls.run("node", "ls")).isZero();
    assertThat(ls.out()).contains("wun78h4i57us4ieeewqg3bhy3 *   shoal-1    Ready     Active         Leader");
    routes.put("POST /v1.44/nodes/wun78h4i57us4ieeewqg3bhy3/update", r -> Response.ok(""));
    TestCli up = cli();
    assertThat(up.run("node", "update", "--availability", "drain", "--label-add", "disk=ssd", "--label-rm", "zone", "self")).isZero();
    assertThat(up.out()).isEqualTo("self\n");
    Request post = only("POST", "/v1.44/nodes/wun78h4i57us4ieeewqg3bhy3/update");
    assertThat(post.query("version")).isEqualTo("9");
    assertThat(json(post.body())).isEqualTo(json("{\"Labels\":{\"disk\":\"ssd\"},\"Role\":\"manager\",\"Availability\":\"drain\"}"));
    TestCli ps = cli();
    assertThat(ps.run("node", "ps")).isZero();
    assertThat(ps.out()).contains("web.2");
    TestCli pretty = cli();
    assertThat(pretty.run("node", "inspect", "--pretty", "self")).isZero();
    assertThat(pretty.out()).contains("Hostname:\t\tshoal-1\n");
  }

  @Test
  void swarmInitLeaveInspect() throws Exception {
    routes.put("POST /v1.44/swarm/init", r -> Response.ok("\"wun78h4i57us4ieeewqg3bhy3\""));
    routes.put("POST /v1.44/swarm/leave", r -> Response.ok(""));
    TestCli t = cli();
    assertThat(t.run("swarm", "init", "--advertise-addr", "127.0.0.1", "--task-history-limit", "3",
        "--dispatcher-heartbeat", "10s", "--force-new-cluster")).isZero();
    assertThat(json(only("POST", "/v1.44/swarm/init").body())).isEqualTo(json(
        "{\"ListenAddr\":\"0.0.0.0:2377\",\"AdvertiseAddr\":\"127.0.0.1\",\"ForceNewCluster\":true,"
      + "\"Spec\":{\"Orchestration\":{\"TaskHistoryRetentionLimit\":3},\"Dispatcher\":{\"HeartbeatPeriod\":10000000000}}}"));
    assertThat(t.out()).startsWith("Swarm initialized: current node (wun78h4i57us4ieeewqg3bhy3) is now a manager.\n\n")
        .contains("    shoal swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 127.0.0.1:2377\n");
    TestCli leave = cli();
    assertThat(leave.run("swarm", "leave", "--force")).isZero();
    assertThat(only("POST", "/v1.44/swarm/leave").query("force")).isEqualTo("true");
    assertThat(leave.out()).isEqualTo("Node left the swarm.\n");
    TestCli inspect = cli();
    assertThat(inspect.run("swarm", "inspect", "-f", "{{.Spec.Orchestration.TaskHistoryRetentionLimit}}")).isZero();
    assertThat(inspect.out()).isEqualTo("5\n");
  }

  @Test
  void logsArePrefixedWithTaskAndNode() {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    String details = "com.docker.swarm.node.id=wun78h4i57us4ieeewqg3bhy3,com.docker.swarm.service.id=" + WEB_ID
        + ",com.docker.swarm.task.id=kx1bq3gk3q3ftw1xzlc9pr2ma";
    for (String[] l : new String[][] {{"1", details + " hello"}, {"2", details + " oops"}}) {
      byte[] p = (l[1] + "\n").getBytes(StandardCharsets.UTF_8);
      frames.writeBytes(new byte[] {(byte) Integer.parseInt(l[0]), 0, 0, 0, 0, 0, 0, (byte) p.length});
      frames.writeBytes(p);
    }
    routes.put("GET /v1.44/services/" + WEB_ID + "/logs", r -> new Response(200,
        Map.of("Content-Type", "application/vnd.docker.multiplexed-stream"), List.of(frames.toByteArray()), Framing.CHUNKED));
    TestCli t = cli();
    assertThat(t.run("service", "logs", "web")).isZero();
    assertThat(t.out()).isEqualTo("web.1.kx1bq3gk3q3f@shoal-1    | hello\n");
    assertThat(t.err()).isEqualTo("web.1.kx1bq3gk3q3f@shoal-1    | oops\n");
    assertThat(only("GET", "/v1.44/services/" + WEB_ID + "/logs").query("details")).isEqualTo("true");
    routes.put("GET /v1.44/services/" + WEB_ID + "/logs", r -> new Response(200, Map.of(),
        List.of(("2026-11-21T12:00:00.5Z " + details + " hi\n").getBytes(StandardCharsets.UTF_8)), Framing.CLOSE));
    TestCli ts = cli();
    assertThat(ts.run("service", "logs", "-t", "--no-task-ids", "web")).isZero();
    assertThat(ts.out()).isEqualTo("2026-11-21T12:00:00.5Z web.1@shoal-1    | hi\n");
  }

  @Test
  void joinTokenPromoteNodeRmAndRollback() throws Exception {
    TestCli q = cli();
    assertThat(q.run("swarm", "join-token", "-q", "manager")).isZero();
    assertThat(q.out()).isEqualTo("SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2\n");
    TestCli w = cli();
    assertThat(w.run("swarm", "join-token", "worker")).isZero();
    assertThat(w.out()).contains("    shoal swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 127.0.0.1:2377\n");
    routes.put("POST /v1.44/swarm/update", r -> Response.ok(""));
    TestCli rot = cli();
    assertThat(rot.run("swarm", "join-token", "--rotate", "-q", "worker")).isZero();
    Request update = only("POST", "/v1.44/swarm/update");
    assertThat(update.query("version")).isEqualTo("10");
    assertThat(update.query("rotateWorkerToken")).isEqualTo("true");
    assertThat(json(update.body()).get("Name").asText()).isEqualTo("default");

    routes.put("GET /v1.44/nodes/bq3jf4xr1e3m1z6dqkc2o8ms0", r -> Response.ok(Fixtures.json("nodes.json").get(1).toString()));
    routes.put("POST /v1.44/nodes/bq3jf4xr1e3m1z6dqkc2o8ms0/update", r -> Response.ok(""));
    TestCli p = cli();
    assertThat(p.run("node", "promote", "bq3jf4xr1e3m1z6dqkc2o8ms0", "self")).isZero();
    assertThat(p.out()).isEqualTo("Node bq3jf4xr1e3m1z6dqkc2o8ms0 promoted to a manager in the swarm.\nNode self is already a manager.\n");
    assertThat(json(only("POST", "/v1.44/nodes/bq3jf4xr1e3m1z6dqkc2o8ms0/update").body()).get("Role").asText()).isEqualTo("manager");

    routes.put("DELETE /v1.44/nodes/bq3jf4xr1e3m1z6dqkc2o8ms0", r -> Response.ok(""));
    TestCli rm = cli();
    assertThat(rm.run("node", "rm", "--force", "bq3jf4xr1e3m1z6dqkc2o8ms0")).isZero();
    assertThat(only("DELETE", "/v1.44/nodes/bq3jf4xr1e3m1z6dqkc2o8ms0").query("force")).isEqualTo("true");

    String withPrevious = Fixtures.json("services.json").get(0).toString()
        .replaceFirst("\"Endpoint\":", "\"PreviousSpec\":{\"Name\":\"web\"},\"Endpoint\":");
    routes.put("GET /v1.44/services/web", r -> Response.ok(withPrevious));
    routes.put("POST /v1.44/services/" + WEB_ID + "/update", r -> Response.ok("{}"));
    TestCli rb = cli();
    assertThat(rb.run("service", "rollback", "-d", "web")).isZero();
    Request post = only("POST", "/v1.44/services/" + WEB_ID + "/update");
    assertThat(post.query("rollback")).isEqualTo("previous");
    assertThat(post.query("version")).isEqualTo("19");
  }
}
