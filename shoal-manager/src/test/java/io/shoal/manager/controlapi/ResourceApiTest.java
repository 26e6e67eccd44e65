package io.shoal.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import io.shoal.manager.Fx;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** T1: ResourceApi over a real MemoryStore with a local proposer; no threads. */
class ResourceApiTest {
  private final Fx.MutableClock clock = new Fx.MutableClock(Fx.T0);
  private final MemoryStore store = new MemoryStore(clock);
  private final ResourceApi api;
  private final ControlApi control;

  ResourceApiTest() {
    store.setProposer(new LocalProposer(store));
    api = new ResourceApi(store, clock, new SplittableRandom(7));
    control = new ControlApi(store, clock, new SplittableRandom(8));
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static Secret.Spec spec(String name, String data, Map<String, String> labels) {
    return new Secret.Spec(name, labels, data == null ? null : b64(data), null, null);
  }

  static Network.NetworkSpec net(String name, Map<String, String> labels) {
    return new Network.NetworkSpec(name, null, null, null, null, null, null, null, Map.of(), labels);
  }

  /** Runs {@code f}, expects it to fail with {@code type} and {@code message}, and the store to be unchanged. */
  private void rejected(Supplier<?> f, Class<? extends ShoalException> type, String message) {
    long before = store.index();
    assertThatThrownBy(f::get).isInstanceOf(type).hasMessage(message);
    assertThat(store.index()).as("a rejected request writes nothing").isEqualTo(before);
  }

  private Service serviceUsing(String name, Secret s, Config c, Network n) {
    ContainerSpec cs = ContainerSpec.ofImage("busybox").withSecretsAndConfigs(
        s == null ? null : List.of(new SecretReference(new SecretReference.FileTarget(s.spec().name(), "0", "0", 0444), s.id(), s.spec().name())),
        c == null ? null : List.of(new ConfigReference(new SecretReference.FileTarget("/etc/c", "0", "0", 0444), null, c.id(), c.spec().name())));
    TaskSpec ts = TaskSpec.of(cs);
    if (n != null) ts = ts.withNetworks(List.of(new NetworkAttachmentConfig(n.spec().name(), List.of(), Map.of())));
    return control.createService(new ServiceSpec(name, Map.of(), ts, ServiceMode.replicas(1), null, null, null, null));
  }

  @Nested
  class Secrets {
    @Test
    void createdSecretKeepsDataInStoreButNeverServesIt() {
      Secret s = api.createSecret(spec("db_password", "hunter2", Map.of("a", "b")));
      assertThat(s.spec().data()).isNull();
      assertThat(api.secret("db_password").spec().data()).isNull();
      assertThat(api.secrets(Filters.NONE)).extracting(x -> x.spec().data()).containsOnlyNulls();
      Secret stored = store.view(tx -> tx.get(StoreObject.Kind.SECRET, s.id()));
      assertThat(new String(Base64.getDecoder().decode(stored.spec().data()), StandardCharsets.UTF_8)).isEqualTo("hunter2");
      assertThat(api.secret(s.id().substring(0, 5)).id()).isEqualTo(s.id());
      assertThat(Json.string(api.secret(s.id()))).doesNotContain("Data").contains("\"Name\":\"db_password\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "x-", "a b", "a/b", "_a", "é"})
    void badNamesAreRefusedWithSwarmsMessage(String name) {
      rejected(() -> api.createSecret(spec(name, "x", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed,"
              + " and the start and end character must be [a-zA-Z0-9]");
    }

    @Test
    void nameLengthLimitIs64() {
      api.createSecret(spec("a".repeat(64), "x", Map.of()));
      rejected(() -> api.createSecret(spec("b".repeat(65), "x", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed,"
              + " and the start and end character must be [a-zA-Z0-9]");
      api.createSecret(spec("a.b-c_d", "x", Map.of()));
      api.createSecret(spec("x", "x", Map.of()));
    }

    @Test
    void missingName() {
      rejected(() -> api.createSecret(spec("", "x", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = name must be provided");
      rejected(() -> api.createSecret(spec(null, "x", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = name must be provided");
    }

    @Test
    void dataMustBeNonEmptyAndShorterThan500KiB() {
      String msg = "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes";
      rejected(() -> api.createSecret(spec("empty", "", Map.of())), ShoalException.InvalidSpec.class, msg);
      rejected(() -> api.createSecret(spec("none", null, Map.of())), ShoalException.InvalidSpec.class, msg);
      rejected(() -> api.createSecret(spec("big", "x".repeat(512000), Map.of())), ShoalException.InvalidSpec.class, msg);
      api.createSecret(spec("biggest", "x".repeat(511999), Map.of()));
    }

    @Test
    void dataMustBeBase64() {
      rejected(() -> api.createSecret(new Secret.Spec("s", Map.of(), "not base64!", null, null)),
          ShoalException.InvalidSpec.class, "invalid JSON: illegal base64 data in Data: Illegal base64 character 20");
      // Go's decoder skips line breaks, so the docker CLI's wrapped base64 is fine
      Secret s = api.createSecret(new Secret.Spec("wrapped", Map.of(), "aGVs\nbG8=", null, null));
      assertThat(store.view(tx -> tx.<Secret>get(StoreObject.Kind.SECRET, s.id())).spec().data()).isEqualTo("aGVsbG8=");
    }

    @Test
    void driversAndUnknownTemplateDriversAreRefusedGolangIsKept() {
      JsonNode driver = Json.lenient().valueToTree(Map.of("Name", "vault"));
      rejected(() -> api.createSecret(new Secret.Spec("s", Map.of(), null, driver, null)), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes");
      rejected(() -> api.createSecret(new Secret.Spec("s", Map.of(), b64("x"), driver, null)), ShoalException.InvalidSpec.class,
          "secret drivers are not supported: give the secret's data");
      JsonNode other = Json.lenient().valueToTree(Map.of("Name", "jinja"));
      rejected(() -> api.createSecret(new Secret.Spec("s", Map.of(), b64("x"), null, other)), ShoalException.InvalidSpec.class,
          "unsupported template driver \"jinja\": Swarm's only template driver is golang");
      JsonNode golang = Json.lenient().valueToTree(Map.of("Name", "golang"));
      rejected(() -> api.createSecret(new Secret.Spec("s", Map.of(), b64("{{.Task.Name"), null, golang)), ShoalException.InvalidSpec.class,
          "invalid secret template: template: {{.Task.Name: unclosed action");
      Secret kept = api.createSecret(new Secret.Spec("s", Map.of(), b64("{{.Task.Name}}"), null, golang));
      assertThat(kept.spec().templating().path("Name").asText()).isEqualTo("golang");
    }

    @Test
    void duplicateName() {
      api.createSecret(spec("pw", "x", Map.of()));
      rejected(() -> api.createSecret(spec("pw", "y", Map.of())), ShoalException.NameConflict.class,
          "rpc error: code = AlreadyExists desc = secret pw already exists");
    }

    @Test
    void updateChangesLabelsOnly() {
      Secret s = api.createSecret(spec("pw", "x", Map.of("a", "1")));
      long v = api.secret("pw").version().index();
      // what docker stack deploy sends on a redeploy: the whole spec, same data, new labels
      Secret u = api.updateSecret("pw", v, spec("pw", "x", Map.of("a", "2")));
      assertThat(u.spec().labels()).containsExactly(Map.entry("a", "2"));
      assertThat(u.spec().data()).isNull();
      assertThat(u.version().index()).isGreaterThan(v);
      // no data at all is fine too
      long v2 = u.version().index();
      api.updateSecret(s.id(), v2, spec("pw", null, Map.of()));
      assertThat(api.secret("pw").spec().labels()).isEmpty();
      Secret stored = store.view(tx -> tx.get(StoreObject.Kind.SECRET, s.id()));
      assertThat(stored.spec().data()).isEqualTo(b64("x"));
    }

    @Test
    void updateRefusesNewDataRenameAndStaleVersion() {
      api.createSecret(spec("pw", "x", Map.of()));
      long v = api.secret("pw").version().index();
      String msg = "rpc error: code = InvalidArgument desc = only updates to Labels are allowed";
      rejected(() -> api.updateSecret("pw", v, spec("pw", "y", Map.of())), ShoalException.InvalidSpec.class, msg);
      rejected(() -> api.updateSecret("pw", v, spec("pw2", "x", Map.of())), ShoalException.InvalidSpec.class, msg);
      rejected(() -> api.updateSecret("pw", v - 1, spec("pw", "x", Map.of("a", "b"))), ShoalException.SequenceConflict.class,
          "update out of sequence");
      rejected(() -> api.updateSecret("nope", v, spec("nope", "x", Map.of())), ShoalException.NotFound.class,
          "secret nope not found");
    }

    @Test
    void secretInUseCannotBeRemoved() {
      Secret s = api.createSecret(spec("pw", "x", Map.of()));
      serviceUsing("db", s, null, null);
      rejected(() -> {
        api.removeSecret("pw");
        return null;
      }, ShoalException.InvalidSpec.class, "rpc error: code = InvalidArgument desc = secret 'pw' is in use by the following service: db");
      serviceUsing("web", s, null, null);
      assertThatThrownBy(() -> api.removeSecret(s.id()))
          .hasMessageStartingWith("rpc error: code = InvalidArgument desc = secret 'pw' is in use by the following services: ")
          .hasMessageContainingAll("db", "web");
      control.removeService("db");
      control.removeService("web");
      api.removeSecret("pw");
      assertThat(api.secrets(Filters.NONE)).isEmpty();
      rejected(() -> {
        api.removeSecret("pw");
        return null;
      }, ShoalException.NotFound.class, "secret pw not found");
    }

    @Test
    void filters() {
      Secret a = api.createSecret(spec("app_db", "x", Map.of("com.docker.stack.namespace", "app", "tier", "db")));
      api.createSecret(spec("app_web", "x", Map.of("com.docker.stack.namespace", "app")));
      api.createSecret(spec("other", "x", Map.of("com.docker.stack.namespace", "other")));
      assertThat(names(Map.of("label", List.of("com.docker.stack.namespace=app")))).containsExactly("app_db", "app_web");
      assertThat(names(Map.of("label", List.of("tier")))).containsExactly("app_db");
      assertThat(names(Map.of("label", List.of("com.docker.stack.namespace=app", "tier=web")))).isEmpty();
      assertThat(names(Map.of("name", List.of("app_")))).containsExactly("app_db", "app_web");
      assertThat(names(Map.of("names", List.of("app_")))).isEmpty();
      assertThat(names(Map.of("names", List.of("other"), "name", List.of("app_w")))).containsExactly("app_web", "other");
      assertThat(names(Map.of("id", List.of(a.id().substring(0, 6))))).contains("app_db");
      assertThatThrownBy(() -> api.secrets(new Filters(Map.of("driver", List.of("x")))))
          .isInstanceOf(ShoalException.InvalidSpec.class).hasMessage("invalid filter 'driver'");
    }

    private List<String> names(Map<String, List<String>> f) {
      return api.secrets(new Filters(f)).stream().map(s -> s.spec().name()).toList();
    }
  }

  @Nested
  class Configs {
    @Test
    void dataIsServedBack() {
      Config c = api.createConfig(spec("nginx_conf", "worker_processes 1;", Map.of()));
      assertThat(api.config("nginx_conf").spec().data()).isEqualTo(b64("worker_processes 1;"));
      assertThat(api.configs(Filters.NONE)).extracting(Config::id).containsExactly(c.id());
    }

    @Test
    void limitIs1000KiB() {
      String msg = "rpc error: code = InvalidArgument desc = config data must be larger than 0 and less than 1024000 bytes";
      rejected(() -> api.createConfig(spec("big", "x".repeat(1024000), Map.of())), ShoalException.InvalidSpec.class, msg);
      rejected(() -> api.createConfig(spec("empty", "", Map.of())), ShoalException.InvalidSpec.class, msg);
      api.createConfig(spec("biggest", "x".repeat(1023999), Map.of()));
      rejected(() -> api.createConfig(spec("bad name", "x", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed,"
              + " and the start and end character must be [a-zA-Z0-9]");
    }

    @Test
    void duplicateUpdateAndInUse() {
      Config c = api.createConfig(spec("conf", "a", Map.of()));
      rejected(() -> api.createConfig(spec("conf", "a", Map.of())), ShoalException.NameConflict.class,
          "rpc error: code = AlreadyExists desc = config conf already exists");
      long v = api.config("conf").version().index();
      rejected(() -> api.updateConfig("conf", v, spec("conf", "b", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = only updates to Labels are allowed");
      Config u = api.updateConfig("conf", v, spec("conf", "a", Map.of("x", "y")));
      assertThat(u.spec().labels()).containsEntry("x", "y");
      assertThat(u.spec().data()).isEqualTo(b64("a"));
      serviceUsing("web", null, c, null);
      rejected(() -> {
        api.removeConfig("conf");
        return null;
      }, ShoalException.InvalidSpec.class, "rpc error: code = InvalidArgument desc = config 'conf' is in use by the following service: web");
      control.removeService("web");
      api.removeConfig("conf");
      assertThat(api.configs(Filters.NONE)).isEmpty();
    }

    @Test
    void filters() {
      api.createConfig(spec("app_a", "x", Map.of("com.docker.stack.namespace", "app")));
      api.createConfig(spec("b", "x", Map.of()));
      assertThat(api.configs(new Filters(Map.of("label", List.of("com.docker.stack.namespace=app")))))
          .extracting(c -> c.spec().name()).containsExactly("app_a");
      assertThat(api.configs(new Filters(Map.of("name", List.of("b"))))).extracting(c -> c.spec().name()).containsExactly("b");
    }
  }

  @Nested
  class Networks {
    @Test
    void createDefaultsToOverlayAndSwarmScope() {
      Network n = api.createNetwork(net("app_default", Map.of("com.docker.stack.namespace", "app")));
      assertThat(n.spec().driver()).isEqualTo("overlay");
      assertThat(n.spec().scope()).isEqualTo("swarm");
      assertThat(api.network("app_default").id()).isEqualTo(n.id());
      assertThat(api.network(n.id().substring(0, 4)).id()).isEqualTo(n.id());
      rejected(() -> api.network("nope"), ShoalException.NotFound.class, "network nope not found");
    }

    @Test
    void duplicateName() {
      api.createNetwork(net("front", Map.of()));
      rejected(() -> api.createNetwork(net("front", Map.of())), ShoalException.NameConflict.class,
          "network with name front already exists");
    }

    @Test
    void nameRules() {
      rejected(() -> api.createNetwork(net("", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = meta: name must be provided");
      rejected(() -> api.createNetwork(net("my.net", Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = name must be valid as a DNS name component");
      rejected(() -> api.createNetwork(net("a".repeat(64), Map.of())), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = name must be 63 characters or fewer");
      rejected(() -> api.createNetwork(net("bridge", Map.of())), ShoalException.Forbidden.class,
          "bridge is a pre-defined network and cannot be created");
      rejected(() -> api.createNetwork(net("n", Map.of("com.docker.swarm.internal", "true"))), ShoalException.Forbidden.class,
          "rpc error: code = PermissionDenied desc = label com.docker.swarm.internal is for predefined internal networks"
              + " and cannot be applied by users");
    }

    @Test
    void driversAndScopes() {
      rejected(() -> api.createNetwork(new Network.NetworkSpec("n", "bridge", null, null, null, null, null, null, null, null)),
          ShoalException.InvalidSpec.class,
          "network driver \"bridge\" is not supported: Shoal serves swarm-scoped networks only; use the overlay driver");
      rejected(() -> api.createNetwork(new Network.NetworkSpec("n", "weave", null, null, null, null, null, null, null, null)),
          ShoalException.NotFound.class, "plugin \"weave\" not found");
      rejected(() -> api.createNetwork(new Network.NetworkSpec("n", "overlay", "local", null, null, null, null, null, null, null)),
          ShoalException.InvalidSpec.class, "network scope \"local\" is not supported: Shoal serves swarm-scoped networks only");
      rejected(() -> api.createNetwork(new Network.NetworkSpec("n", null, null, null, null, null, null, null, null, null,
          null, true, null, null)), ShoalException.InvalidSpec.class,
          "config-only networks (--config-only, --config-from) are not supported");
    }

    @Test
    void ipamIsCheckedAsSwarmKitDoes() {
      assertThat(api.createNetwork(withIpam("ok", "{\"Driver\":\"default\",\"Config\":[{\"Subnet\":\"10.20.0.0/16\","
          + "\"IPRange\":\"10.20.1.0/24\",\"Gateway\":\"10.20.0.1\"}]}")).spec().ipam()).isNotNull();
      rejected(() -> api.createNetwork(withIpam("six", "{\"Config\":[{\"Subnet\":\"10.21.0.0/16\"},{\"Subnet\":\"2001:db8::/64\"}]}")),
          ShoalException.InvalidSpec.class, "rpc error: code = InvalidArgument desc = network six: IPv6 subnets are not supported"
          + " (2001:db8::/64): Shoal's overlay networks are IPv4 only");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Config\":[{\"Subnet\":\"10.20.0.0\"}]}")), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = ipam configuration: invalid subnet 10.20.0.0");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Config\":[{\"Subnet\":\"example.com/8\"}]}")), ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = ipam configuration: invalid subnet example.com/8");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Config\":[{\"Subnet\":\"10.20.0.0/16\",\"IPRange\":\"10.30.0.0/24\"}]}")),
          ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = ipam configuration: subnet 10.20.0.0/16 does not contain range 10.30.0.0/24");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Config\":[{\"Subnet\":\"10.20.0.0/16\",\"Gateway\":\"10.21.0.1\"}]}")),
          ShoalException.InvalidSpec.class,
          "rpc error: code = InvalidArgument desc = ipam configuration: subnet 10.20.0.0/16 does not contain gateway 10.21.0.1");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Config\":[{\"Subnet\":\"10.20.0.0/16\",\"Gateway\":\"x\"}]}")),
          ShoalException.InvalidSpec.class, "rpc error: code = InvalidArgument desc = ipam configuration: invalid gateway x");
      rejected(() -> api.createNetwork(withIpam("a", "{\"Driver\":\"overlay\"}")), ShoalException.NotFound.class,
          "plugin \"overlay\" not found");
    }

    private Network.NetworkSpec withIpam(String name, String ipam) {
      try {
        return new Network.NetworkSpec(name, "overlay", null, null, null, null, Json.lenient().readTree(ipam), null, null, null);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Test
    void onlyOneIngressNetwork() {
      Network in = api.createNetwork(new Network.NetworkSpec("ingress", null, null, null, null, true, null, null, null, null));
      rejected(() -> api.createNetwork(new Network.NetworkSpec("ingress2", null, null, null, null, true, null, null, null, null)),
          ShoalException.NameConflict.class, "rpc error: code = AlreadyExists desc = ingress network (" + in.id() + ") is already present");
    }

    @Test
    void networkInUseByAServiceOrItsLiveTasksCannotBeRemoved() {
      Network n = api.createNetwork(net("back", Map.of()));
      Service s = serviceUsing("db", null, null, n);
      rejected(() -> {
        api.removeNetwork("back");
        return null;
      }, ShoalException.InvalidSpec.class, "rpc error: code = FailedPrecondition desc = network " + n.id() + " is in use by service " + s.id());
      assertThat(api.networks(new Filters(Map.of("dangling", List.of("true"))))).isEmpty();
      assertThat(api.networks(new Filters(Map.of("dangling", List.of("false"))))).hasSize(1);
      control.removeService("db");
      api.removeNetwork("back");
      assertThat(api.networks(Filters.NONE)).isEmpty();
    }

    @Test
    void aRunningTaskOfALiveServiceHoldsTheNetworkButOneOfARemovedServiceDoesNot() {
      Network n = api.createNetwork(net("back", Map.of()));
      Network other = api.createNetwork(net("other", Map.of()));
      // the service moved to another network; its old task still runs on "back"
      Service s = serviceUsing("db", null, null, other);
      TaskSpec onBack = TaskSpec.of(ContainerSpec.ofImage("busybox"))
          .withNetworks(List.of(new NetworkAttachmentConfig(n.id(), List.of(), Map.of())));
      Task t = new Task("task1", Version.ZERO, null, null, "db.1", Map.of(), onBack, s.id(), 1, "node1",
          TaskStatus.of(TaskState.RUNNING, "started", Fx.T0), TaskState.RUNNING, s.version(), null, null);
      store.update(tx -> tx.create(t));
      rejected(() -> {
        api.removeNetwork("back");
        return null;
      }, ShoalException.InvalidSpec.class, "rpc error: code = FailedPrecondition desc = network " + n.id() + " is in use by task task1");
      control.removeService("db");
      api.removeNetwork("back");
    }

    @Test
    void filters() {
      Network a = api.createNetwork(net("app_front", Map.of("com.docker.stack.namespace", "app", "edge", "")));
      api.createNetwork(net("app_back", Map.of("com.docker.stack.namespace", "app")));
      api.createNetwork(net("web", Map.of()));
      assertThat(names(Map.of("label", List.of("com.docker.stack.namespace=app")))).containsExactlyInAnyOrder("app_front", "app_back");
      assertThat(names(Map.of("label", List.of("edge")))).containsExactly("app_front");
      assertThat(names(Map.of("name", List.of("back")))).containsExactly("app_back"); // Docker matches names as regexps
      assertThat(names(Map.of("name", List.of("^web$")))).containsExactly("web");
      assertThat(names(Map.of("id", List.of(a.id())))).containsExactly("app_front");
      assertThat(names(Map.of("driver", List.of("overlay")))).hasSize(3);
      assertThat(names(Map.of("driver", List.of("bridge")))).isEmpty();
      assertThat(names(Map.of("scope", List.of("swarm")))).hasSize(3);
      assertThat(names(Map.of("scope", List.of("local")))).isEmpty();
      assertThat(names(Map.of("type", List.of("custom")))).hasSize(3);
      assertThat(names(Map.of("type", List.of("builtin")))).isEmpty();
      assertThatThrownBy(() -> names(Map.of("type", List.of("odd")))).hasMessage("invalid filter: 'type'='odd'");
      assertThatThrownBy(() -> names(Map.of("nope", List.of("x")))).hasMessage("invalid filter 'nope'");
    }

    private List<String> names(Map<String, List<String>> f) {
      return api.networks(new Filters(f)).stream().map(n -> n.spec().name()).toList();
    }
  }
}
