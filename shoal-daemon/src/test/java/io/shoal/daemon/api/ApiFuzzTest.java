package io.shoal.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * T3, issue 15 (7): a seeded fuzzer of request bodies over real HTTP. Valid bodies of the write
 * routes are mutated (types swapped, nulls, huge and negative numbers, unknown keys, deep nesting,
 * truncation, garbage bytes) and sent; no answer may be a 5xx and the server must keep answering.
 * CI runs {@value #CI_BODIES} bodies; {@code -Dshoal.fuzz.bodies=N -Dshoal.fuzz.seed=S} runs more
 * (the seed is printed, so a failure is replayed exactly).
 */
class ApiFuzzTest {
  static final int CI_BODIES = 400;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String[]> SEEDS = List.of(
      new String[] {"/services/create", "{\"Name\":\"web\",\"Labels\":{\"a\":\"b\"},\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
          + "\"Command\":[\"sh\"],\"Env\":[\"A=1\"],\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/d\"}],"
          + "\"Secrets\":[{\"SecretName\":\"s\",\"SecretID\":\"x\",\"File\":{\"Name\":\"s\",\"Mode\":292}}]},"
          + "\"RestartPolicy\":{\"Condition\":\"any\",\"Delay\":5000000000},\"Placement\":{\"Constraints\":[\"node.role==manager\"]},"
          + "\"Resources\":{\"Limits\":{\"NanoCPUs\":1000000000,\"MemoryBytes\":1048576}}},"
          + "\"Mode\":{\"Replicated\":{\"Replicas\":2}},\"UpdateConfig\":{\"Parallelism\":1,\"FailureAction\":\"pause\"},"
          + "\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":80,\"PublishedPort\":8080,\"Protocol\":\"tcp\"}]}}"},
      new String[] {"/networks/create", "{\"Name\":\"n\",\"Driver\":\"overlay\",\"Attachable\":true,\"Labels\":{\"a\":\"b\"},"
          + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.9.0.0/24\"}]},\"Options\":{\"x\":\"y\"}}"},
      new String[] {"/secrets/create", "{\"Name\":\"s\",\"Labels\":{\"a\":\"b\"},\"Data\":\"aHVudGVyMg==\"}"},
      new String[] {"/configs/create", "{\"Name\":\"c\",\"Data\":\"cG9ydD04MA==\"}"},
      new String[] {"/swarm/init", "{\"ListenAddr\":\"0.0.0.0:2377\",\"AdvertiseAddr\":\"127.0.0.1\",\"ForceNewCluster\":false,"
          + "\"Spec\":{\"Orchestration\":{\"TaskHistoryRetentionLimit\":5},\"Dispatcher\":{\"HeartbeatPeriod\":5000000000}}}"},
      new String[] {"/swarm/join", "{\"RemoteAddrs\":[\"127.0.0.1:2377\"],\"JoinToken\":\"SWMTKN-1-x\"}"});

  private MemoryStore store;
  private ApiServer server;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() throws Exception {
    store = new MemoryStore(Clock.systemUTC());
    store.setProposer(new LocalProposer(store));
    ControlApi control = new ControlApi(store, Clock.systemUTC(), new SplittableRandom(1));
    ResourceApi resources = new ResourceApi(store, Clock.systemUTC(), new SplittableRandom(2));
    server = new ApiServer(List.of("tcp://127.0.0.1:0"), Api.router(new ResourceRoutesTest.ManagerOnly(control, resources), "/tmp"));
    server.start();
    base = "http://127.0.0.1:" + server.tcpPort() + "/v1.44";
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void mutatedBodiesNeverGetA5xxAndTheServerKeepsAnswering() throws Exception {
    long seed = Long.getLong("shoal.fuzz.seed", System.nanoTime());
    int bodies = Integer.getInteger("shoal.fuzz.bodies", CI_BODIES);
    System.out.printf("api fuzz: seed %d, %d bodies (replay: -Dshoal.fuzz.seed=%d)%n", seed, bodies, seed);
    SplittableRandom random = new SplittableRandom(seed);
    List<String> fivexx = new ArrayList<>();
    int[] byClass = new int[6];
    for (int i = 0; i < bodies; i++) {
      String[] s = SEEDS.get(random.nextInt(SEEDS.size()));
      String body = mutate(s[1], random);
      if (s[0].startsWith("/swarm/")) {
        // this test's backend has no swarm to init or join: the body's parse is what is fuzzed
        Class<?> type = s[0].endsWith("init") ? io.shoal.daemon.swarm.InitRequest.class : io.shoal.daemon.swarm.JoinRequest.class;
        try {
          Exchange.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
          byClass[2]++;
        } catch (io.shoal.api.error.ShoalException.InvalidSpec e) {
          byClass[4]++;
        } catch (RuntimeException e) {
          fivexx.add("parse " + s[0] + " " + body + " -> " + e);
        }
        continue;
      }
      HttpResponse<String> r = send(s[0], body);
      byClass[r.statusCode() / 100]++;
      if (r.statusCode() >= 500) fivexx.add(r.statusCode() + " " + s[0] + " " + body + " -> " + r.body());
    }
    System.out.printf("api fuzz: 2xx %d, 4xx %d, 5xx %d%n", byClass[2], byClass[4], byClass[5]);
    assertThat(fivexx).as("seed " + seed).isEmpty();
    assertThat(send("/services/create", SEEDS.get(0)[1].replace("\"web\"", "\"alive\"")).statusCode())
        .as("the server still serves a good request").isIn(201, 409, 400);
  }

  private HttpResponse<String> send(String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static String mutate(String valid, SplittableRandom r) throws Exception {
    int kind = r.nextInt(10);
    if (kind == 0) return valid.substring(0, r.nextInt(valid.length())); // truncated
    if (kind == 1) { // garbage bytes spliced in
      StringBuilder sb = new StringBuilder(valid);
      for (int k = 0; k < 1 + r.nextInt(4); k++) sb.insert(r.nextInt(sb.length()), (char) r.nextInt(1, 0x2FF));
      return sb.toString();
    }
    if (kind == 2) return List.of("null", "[]", "\"x\"", "0", "true", "{}", "[{}]", "{\"\":null}").get(r.nextInt(8));
    JsonNode root = Json.lenient().readTree(valid);
    int edits = 1 + r.nextInt(4);
    for (int k = 0; k < edits; k++) root = edit(root, r, 0);
    return root.toString();
  }

  /** Replaces one random node somewhere in the tree. */
  private static JsonNode edit(JsonNode n, SplittableRandom r, int depth) {
    if ((n.isContainerNode() && n.size() > 0 && r.nextInt(3) != 0) && depth < 12) {
      if (n instanceof ObjectNode o) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
        String k = keys.get(r.nextInt(keys.size()));
        if (r.nextInt(8) == 0) o.set("Unknown" + r.nextInt(100), value(r, depth));
        else o.set(k, edit(o.get(k), r, depth + 1));
        return o;
      }
      ArrayNode a = (ArrayNode) n;
      int i = r.nextInt(a.size());
      a.set(i, edit(a.get(i), r, depth + 1));
      return a;
    }
    return value(r, depth);
  }

  private static JsonNode value(SplittableRandom r, int depth) {
    switch (r.nextInt(14)) {
      case 0: return F.nullNode();
      case 1: return F.numberNode(Long.MAX_VALUE);
      case 2: return F.numberNode(-1);
      case 3: return F.numberNode(1.5);
      case 4: return F.textNode("3");
      case 5: return F.textNode("");
      case 6: return F.booleanNode(r.nextBoolean());
      case 7: return F.numberNode(new java.math.BigInteger("18446744073709551616"));
      case 8: return F.textNode("x".repeat(r.nextInt(1, 5000)));
      case 9: {
        JsonNode deep = F.arrayNode();
        for (int i = 0; i < 200; i++) deep = F.arrayNode().add(deep);
        return deep;
      }
      case 10: return F.objectNode().put("Name", r.nextInt());
      case 11: return F.arrayNode().add("a").add(1).addNull();
      case 12: return F.numberNode(0);
      default: return F.textNode("{{.Service.Name}}/../../etc/passwd\u0000");
    }
  }
}
