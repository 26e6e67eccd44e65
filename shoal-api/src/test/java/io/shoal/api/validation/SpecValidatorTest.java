package io.shoal.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  /** What {@code docker service create --name web --replicas 3 -p 8080:80 busybox httpd -f -p 80} sends. */
  static final String CLI_SPEC = """
      {"Name":"web","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"shoal-test/busybox:1",
       "Args":["httpd","-f","-p","80"],"Init":false,"StopGracePeriod":10000000000,
       "DNSConfig":{},"Isolation":"default"},
       "Resources":{"Limits":{},"Reservations":{}},
       "RestartPolicy":{"Condition":"any","Delay":5000000000,"MaxAttempts":0},
       "Placement":{},"ForceUpdate":0,"Runtime":"container"},
       "Mode":{"Replicated":{"Replicas":3}},
       "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
       "RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
       "EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]}}
      """;

  static ServiceSpec good() throws Exception {
    return Json.strict().readValue(CLI_SPEC, ServiceSpec.class);
  }

  @Test
  void acceptsWhatTheDockerCliSends() throws Exception {
    ServiceSpec s = good();
    assertThat(s.modeOrDefault().replicaCount()).isEqualTo(3);
    assertThatCode(() -> SpecValidator.validateService(s)).doesNotThrowAnyException();
    // and the minimal spec: just an image
    assertThatCode(() -> SpecValidator.validateService(new ServiceSpec("a", null,
        TaskSpec.of(ContainerSpec.ofImage("busybox")), null, null, null, null, null))).doesNotThrowAnyException();
  }

  static TaskSpec task(ServiceSpec s) {
    return s.taskTemplate();
  }

  static ServiceSpec withTask(ServiceSpec s, UnaryOperator<TaskSpec> f) {
    return s.withTaskTemplate(f.apply(s.taskTemplate()));
  }

  static ServiceSpec withContainer(ServiceSpec s, UnaryOperator<ContainerSpec> f) {
    return withTask(s, t -> t.withContainerSpec(f.apply(t.containerSpec())));
  }

  static ServiceSpec port(ServiceSpec s, PortConfig... p) {
    return s.withEndpointSpec(new EndpointSpec(null, List.of(p)));
  }

  static Arguments bad(String field, UnaryOperator<ServiceSpec> change) {
    return Arguments.of(field, change);
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("name must be provided", s -> new ServiceSpec(null, null, s.taskTemplate(), null, null, null, null, null)),
        bad("DNS name component", s -> new ServiceSpec("-web", null, s.taskTemplate(), null, null, null, null, null)),
        bad("DNS name component", s -> new ServiceSpec("w".repeat(64), null, s.taskTemplate(), null, null, null, null, null)),
        bad("DNS name component", s -> new ServiceSpec("web.1", null, s.taskTemplate(), null, null, null, null, null)),
        bad("Mode.Replicated.Replicas", s -> s.withMode(ServiceMode.replicas(-1))),
        bad("Mode: only one", s -> s.withMode(new ServiceMode(new ServiceMode.Replicated(1L), new ServiceMode.Global(), null, null))),
        bad("Mode.ReplicatedJob.MaxConcurrent", s -> s.withMode(new ServiceMode(null, null, new ServiceMode.ReplicatedJob(-1L, 1L), null))),
        bad("Mode.ReplicatedJob.TotalCompletions", s -> s.withMode(new ServiceMode(null, null, new ServiceMode.ReplicatedJob(1L, -1L), null))),
        bad("TaskTemplate", s -> s.withTaskTemplate(null)),
        bad("ContainerSpec must be provided", s -> withTask(s, t -> t.withContainerSpec(null))),
        bad("image reference", s -> withContainer(s, c -> c.withImage(" "))),
        bad("ContainerSpec.StopGracePeriod", s -> withContainer(s, c -> c.withStop(null, -1L))),
        bad("HealthCheck.Interval", s -> withContainer(s, c -> c.withHealthCheck(new HealthConfig(List.of("CMD"), -1L, null, null, null, null)))),
        bad("HealthCheck.Timeout", s -> withContainer(s, c -> c.withHealthCheck(new HealthConfig(null, null, -1L, null, null, null)))),
        bad("HealthCheck.StartPeriod", s -> withContainer(s, c -> c.withHealthCheck(new HealthConfig(null, null, null, null, -1L, null)))),
        bad("HealthCheck.Retries", s -> withContainer(s, c -> c.withHealthCheck(new HealthConfig(null, null, null, -1, null, null)))),
        bad("Mounts: Target", s -> withContainer(s, c -> c.withMounts(List.of(new Mount(null, "v", "volume", null, null, null, null, null, null))))),
        bad("invalid mount type \"nfs\"", s -> withContainer(s, c -> c.withMounts(List.of(new Mount("/d", "v", "nfs", null, null, null, null, null, null))))),
        bad("absolute path", s -> withContainer(s, c -> c.withMounts(List.of(new Mount("/d", "rel", "bind", null, null, null, null, null, null))))),
        bad("tmpfs mounts must not have a Source", s -> withContainer(s, c -> c.withMounts(List.of(new Mount("/d", "x", "tmpfs", null, null, null, null, null, null))))),
        bad("RestartPolicy.Condition", s -> withTask(s, t -> t.withRestartPolicy(new RestartPolicy("always", null, null, null)))),
        bad("RestartPolicy.Delay", s -> withTask(s, t -> t.withRestartPolicy(new RestartPolicy(null, -1L, null, null)))),
        bad("RestartPolicy.Window", s -> withTask(s, t -> t.withRestartPolicy(new RestartPolicy(null, null, null, -1L)))),
        bad("RestartPolicy.MaxAttempts", s -> withTask(s, t -> t.withRestartPolicy(new RestartPolicy(null, null, -1L, null)))),
        bad("Resources.Limits.NanoCPUs", s -> withTask(s, t -> t.withResources(new Resources(new Resources.Limits(-1L, null, null, null), null)))),
        bad("Resources.Limits.MemoryBytes: minimum", s -> withTask(s, t -> t.withResources(new Resources(new Resources.Limits(null, 1024L, null, null), null)))),
        bad("Resources.Reservations.MemoryBytes", s -> withTask(s, t -> t.withResources(new Resources(null, new Resources.Limits(null, -5L, null, null))))),
        bad("unknown key \"node.color\"", s -> withTask(s, t -> t.withPlacement(new Placement(List.of("node.color==red"), null, null, null)))),
        bad("Placement.MaxReplicas", s -> withTask(s, t -> t.withPlacement(new Placement(null, null, -1L, null)))),
        bad("Placement.Preferences", s -> withTask(s, t -> t.withPlacement(new Placement(null, List.of(new Placement.Preference(null)), null, null)))),
        bad("UpdateConfig.Parallelism", s -> s.withUpdateConfig(new UpdateConfig(-1L, null, null, null, null, null))),
        bad("UpdateConfig.Delay", s -> s.withUpdateConfig(new UpdateConfig(null, -1L, null, null, null, null))),
        bad("UpdateConfig.Monitor", s -> s.withUpdateConfig(new UpdateConfig(null, null, null, -1L, null, null))),
        bad("UpdateConfig.FailureAction", s -> s.withUpdateConfig(new UpdateConfig(null, null, "explode", null, null, null))),
        bad("UpdateConfig.Order", s -> s.withUpdateConfig(new UpdateConfig(null, null, null, null, null, "random"))),
        bad("UpdateConfig.MaxFailureRatio", s -> s.withUpdateConfig(new UpdateConfig(null, null, null, null, 1.5, null))),
        bad("RollbackConfig.FailureAction", s -> new ServiceSpec(s.name(), s.labels(), s.taskTemplate(), s.mode(), null,
            new UpdateConfig(null, null, "rollback2", null, null, null), null, null)),
        bad("TargetPort", s -> port(s, new PortConfig(null, "tcp", 0, 80, null))),
        bad("PublishedPort", s -> port(s, new PortConfig(null, "tcp", 80, 70000, null))),
        bad("invalid protocol \"icmp\"", s -> port(s, new PortConfig(null, "icmp", 80, 80, null))),
        bad("invalid PublishMode \"nat\"", s -> port(s, new PortConfig(null, "tcp", 80, 80, "nat"))),
        bad("duplicate published ports provided: 8080/tcp", s -> port(s, new PortConfig(null, "tcp", 80, 8080, null), new PortConfig(null, null, 81, 8080, null))),
        bad("EndpointSpec.Mode", s -> s.withEndpointSpec(new EndpointSpec("nat", null))),
        bad("dnsrr", s -> s.withEndpointSpec(new EndpointSpec("dnsrr", List.of(new PortConfig(null, "tcp", 80, 8080, null))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void rejectsEachBadFieldNamingIt(String field, UnaryOperator<ServiceSpec> change) throws Exception {
    ServiceSpec s = change.apply(good());
    assertThatThrownBy(() -> SpecValidator.validateService(s))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining(field);
  }

  @Test
  void sameTargetOnTwoProtocolsAndHostModeDnsrrAreFine() throws Exception {
    ServiceSpec s = port(good(), new PortConfig(null, "tcp", 53, 53, null), new PortConfig(null, "udp", 53, 53, null));
    assertThatCode(() -> SpecValidator.validateService(s)).doesNotThrowAnyException();
    ServiceSpec d = good().withEndpointSpec(new EndpointSpec("dnsrr", List.of(new PortConfig(null, "tcp", 80, 8080, "host"))));
    assertThatCode(() -> SpecValidator.validateService(d)).doesNotThrowAnyException();
  }
}
