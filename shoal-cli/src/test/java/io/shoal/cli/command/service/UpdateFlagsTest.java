package io.shoal.cli.command.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.ServiceSpec;
import io.shoal.cli.Fixtures;
import io.shoal.cli.TestCli;
import io.shoal.cli.UsageException;
import org.junit.jupiter.api.Test;

/** T1: {@code service update} flags applied to a recorded spec → the spec posted back. */
class UpdateFlagsTest {
  private static final ServiceSpec WEB = Fixtures.services().get(0).spec();

  private static JsonNode update(ServiceSpec base, String... args) throws Exception {
    String[] all = new String[args.length + 3];
    all[0] = "service";
    all[1] = "update";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 1] = "web";
    ServiceUpdate u = new TestCli(null, false).parse(all);
    return Json.lenient().readTree(Json.string(u.apply(base)));
  }

  private static JsonNode update(String... args) throws Exception {
    return update(WEB, args);
  }

  @Test
  void noFlagsChangeNothing() throws Exception {
    assertThat(update()).isEqualTo(Json.lenient().readTree(Json.string(WEB)));
  }

  @Test
  void envAddReplacesAndRmRemoves() throws Exception {
    JsonNode c = update("--env-add", "A=2", "--env-add", "B=1", "--env-rm", "C").at("/TaskTemplate/ContainerSpec");
    assertThat(c.get("Env").toString()).isEqualTo("[\"A=2\",\"B=1\"]");
    assertThat(update("--env-rm", "A").at("/TaskTemplate/ContainerSpec/Env").isMissingNode()).isTrue();
  }

  @Test
  void imageArgsAndForce() throws Exception {
    JsonNode s = update("--image", "busybox:2", "--args", "sh -c 'echo hi there'", "--force");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Image").asText()).isEqualTo("busybox:2");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Args").toString()).isEqualTo("[\"sh\",\"-c\",\"echo hi there\"]");
    assertThat(s.at("/TaskTemplate/ForceUpdate").asLong()).isEqualTo(1);
  }

  @Test
  void labelsConstraintsAndPrefs() throws Exception {
    JsonNode s = update("--label-add", "env=prod", "--label-rm", "tier",
        "--container-label-add", "x=1",
        "--constraint-add", "node.labels.zone==a", "--constraint-rm", "node.role==manager",
        "--placement-pref-add", "spread=node.labels.zone");
    assertThat(s.get("Labels").toString()).isEqualTo("{\"env\":\"prod\"}");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Labels").toString()).isEqualTo("{\"x\":\"1\"}");
    assertThat(s.at("/TaskTemplate/Placement").toString()).isEqualTo(
        "{\"Constraints\":[\"node.labels.zone==a\"],\"Preferences\":[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}],\"MaxReplicas\":2}");
    assertThat(update("--placement-pref-add", "spread=a", "--placement-pref-rm", "spread=a")
        .at("/TaskTemplate/Placement/Preferences").isMissingNode()).isTrue();
  }

  @Test
  void publishAddAndRm() throws Exception {
    JsonNode ports = update("--publish-add", "9090:90", "--publish-rm", "80").at("/EndpointSpec/Ports");
    assertThat(ports.toString()).isEqualTo("[{\"Protocol\":\"tcp\",\"TargetPort\":90,\"PublishedPort\":9090,\"PublishMode\":\"ingress\"}]");
    // re-publishing the same published port replaces its mapping
    assertThat(update("--publish-add", "8080:81").at("/EndpointSpec/Ports").toString())
        .isEqualTo("[{\"Protocol\":\"tcp\",\"TargetPort\":81,\"PublishedPort\":8080,\"PublishMode\":\"ingress\"}]");
    assertThat(update("--publish-rm", "8080:80").at("/EndpointSpec/Ports").isMissingNode()).isTrue();
  }

  @Test
  void mountsAndNetworks() throws Exception {
    JsonNode s = update("--mount-add", "type=volume,source=v,target=/v", "--network-add", "backend");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Mounts/0/Target").asText()).isEqualTo("/v");
    assertThat(s.at("/TaskTemplate/Networks/0/Target").asText()).isEqualTo("backend");
    ServiceSpec withMount = Json.lenient().convertValue(s, ServiceSpec.class);
    JsonNode after = update(withMount, "--mount-rm", "/v", "--network-rm", "backend");
    assertThat(after.at("/TaskTemplate/ContainerSpec/Mounts").isMissingNode()).isTrue();
    assertThat(after.at("/TaskTemplate/Networks").isMissingNode()).isTrue();
  }

  @Test
  void commonFlagsEditOnlyWhatTheyName() throws Exception {
    JsonNode s = update("--replicas", "6", "--update-parallelism", "2", "--update-delay", "10s",
        "--limit-memory", "1g", "--restart-max-attempts", "5", "--stop-grace-period", "1m",
        "--health-cmd", "true", "--rollback-order", "start-first");
    assertThat(s.at("/Mode/Replicated/Replicas").asLong()).isEqualTo(6);
    assertThat(s.at("/UpdateConfig").toString()).isEqualTo(
        "{\"Parallelism\":2,\"Delay\":10000000000,\"FailureAction\":\"pause\",\"Monitor\":5000000000,\"MaxFailureRatio\":0.0,\"Order\":\"stop-first\"}");
    assertThat(s.at("/RollbackConfig/Order").asText()).isEqualTo("start-first");
    assertThat(s.at("/TaskTemplate/Resources/Limits").toString()).isEqualTo("{\"NanoCPUs\":500000000,\"MemoryBytes\":1073741824}");
    assertThat(s.at("/TaskTemplate/RestartPolicy").toString()).isEqualTo(
        "{\"Condition\":\"any\",\"Delay\":5000000000,\"MaxAttempts\":5}");
    assertThat(s.at("/TaskTemplate/ContainerSpec/StopGracePeriod").asLong()).isEqualTo(60_000_000_000L);
    assertThat(s.at("/TaskTemplate/ContainerSpec/HealthCheck/Test").toString()).isEqualTo("[\"CMD-SHELL\",\"true\"]");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Env").toString()).isEqualTo("[\"A=1\"]");
  }

  @Test
  void modeRulesUseTheRealService() {
    ServiceSpec global = Fixtures.services().get(1).spec();
    assertThatThrownBy(() -> update(global, "--replicas", "2")).isInstanceOf(UsageException.class)
        .hasMessage("replicas can only be used with replicated or replicated-job mode");
  }

  @Test
  void badValues() {
    assertThatThrownBy(() -> update("--publish-add", "x")).hasMessageContaining("invalid port x");
    assertThatThrownBy(() -> update("--update-delay", "soon")).hasMessageContaining("--update-delay");
    assertThatThrownBy(() -> update("--args", "'unterminated")).hasMessageContaining("unterminated quote");
  }
}
