package io.shoal.cli.command.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.cli.TestCli;
import io.shoal.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** T1: {@code service create} flags → the ServiceSpec JSON sent to {@code POST /services/create}. */
class CreateFlagsTest {
  private static JsonNode spec(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "service";
    all[1] = "create";
    System.arraycopy(args, 0, all, 2, args.length);
    ServiceCreate c = new TestCli(null, false).parse(all);
    return Json.lenient().readTree(Json.string(c.buildSpec()));
  }

  @Test
  void minimalSpecHasDockersShape() throws Exception {
    JsonNode s = spec("--name", "web", "busybox:1", "httpd", "-f", "-p", "80");
    assertThat(s.at("/Name").asText()).isEqualTo("web");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Image").asText()).isEqualTo("busybox:1");
    // docker puts the positional command in Args; --entrypoint sets Command
    assertThat(s.at("/TaskTemplate/ContainerSpec/Args").toString()).isEqualTo("[\"httpd\",\"-f\",\"-p\",\"80\"]");
    assertThat(s.at("/TaskTemplate/ContainerSpec/Command").isMissingNode()).isTrue();
    assertThat(s.at("/Mode/Replicated/Replicas").asLong()).isEqualTo(1);
    assertThat(s.at("/UpdateConfig").toString()).isEqualTo(
        "{\"Parallelism\":1,\"Delay\":0,\"FailureAction\":\"pause\",\"Monitor\":5000000000,\"MaxFailureRatio\":0.0,\"Order\":\"stop-first\"}");
    assertThat(s.at("/RollbackConfig/Order").asText()).isEqualTo("stop-first");
    assertThat(s.at("/TaskTemplate/RestartPolicy").isMissingNode()).isTrue();
    assertThat(s.at("/EndpointSpec").isMissingNode()).isTrue();
  }

  @Test
  void everyFlagLandsInTheSpec() throws Exception {
    JsonNode s = spec("--name", "web", "--replicas", "3",
        "-e", "A=1", "--env", "B=two words",
        "--label", "tier=front", "-l", "team",
        "--container-label", "c=1",
        "--constraint", "node.role==manager", "--constraint", "node.labels.zone!=b",
        "--placement-pref", "spread=node.labels.zone",
        "--replicas-max-per-node", "2",
        "-p", "8080:80", "--publish", "published=9090,target=90,protocol=udp,mode=host",
        "--mount", "type=bind,source=/srv,target=/data,readonly",
        "--network", "backend",
        "--limit-cpu", "0.5", "--limit-memory", "512M", "--limit-pids", "100",
        "--reserve-cpu", "0.25", "--reserve-memory", "64m",
        "--restart-condition", "on-failure", "--restart-delay", "10s", "--restart-max-attempts", "3", "--restart-window", "1m30s",
        "--update-parallelism", "2", "--update-delay", "5s", "--update-failure-action", "continue",
        "--update-monitor", "30s", "--update-max-failure-ratio", "0.2", "--update-order", "start-first",
        "--rollback-parallelism", "0", "--rollback-delay", "1s", "--rollback-failure-action", "continue",
        "--rollback-monitor", "2s", "--rollback-max-failure-ratio", "0.5", "--rollback-order", "start-first",
        "--stop-signal", "SIGINT", "--stop-grace-period", "20s",
        "--health-cmd", "wget -q -O- localhost", "--health-interval", "5s", "--health-timeout", "2s",
        "--health-retries", "4", "--health-start-period", "1m", "--health-start-interval", "500ms",
        "--workdir", "/app", "--user", "1000:1000", "--hostname", "h1", "--read-only", "--init", "--tty",
        "--entrypoint", "/bin/sh -c", "--endpoint-mode", "dnsrr",
        "--detach", "-q", "--with-registry-auth",
        "busybox:1", "echo", "hi");
    JsonNode c = s.at("/TaskTemplate/ContainerSpec");
    assertThat(s.at("/Mode/Replicated/Replicas").asLong()).isEqualTo(3);
    assertThat(c.get("Env").toString()).isEqualTo("[\"A=1\",\"B=two words\"]");
    assertThat(s.get("Labels").toString()).isEqualTo("{\"team\":\"\",\"tier\":\"front\"}");
    assertThat(c.get("Labels").toString()).isEqualTo("{\"c\":\"1\"}");
    JsonNode placement = s.at("/TaskTemplate/Placement");
    assertThat(placement.get("Constraints").toString()).isEqualTo("[\"node.role==manager\",\"node.labels.zone!=b\"]");
    assertThat(placement.get("Preferences").toString()).isEqualTo("[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]");
    assertThat(placement.get("MaxReplicas").asLong()).isEqualTo(2);
    assertThat(s.get("EndpointSpec").toString()).isEqualTo("{\"Mode\":\"dnsrr\",\"Ports\":["
        + "{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080,\"PublishMode\":\"ingress\"},"
        + "{\"Protocol\":\"udp\",\"TargetPort\":90,\"PublishedPort\":9090,\"PublishMode\":\"host\"}]}");
    assertThat(c.get("Mounts").toString()).isEqualTo("[{\"Target\":\"/data\",\"Source\":\"/srv\",\"Type\":\"bind\",\"ReadOnly\":true}]");
    assertThat(s.at("/TaskTemplate/Networks").toString()).isEqualTo("[{\"Target\":\"backend\"}]");
    assertThat(s.at("/TaskTemplate/Resources").toString()).isEqualTo(
        "{\"Limits\":{\"NanoCPUs\":500000000,\"MemoryBytes\":536870912,\"Pids\":100},"
      + "\"Reservations\":{\"NanoCPUs\":250000000,\"MemoryBytes\":67108864}}");
    assertThat(s.at("/TaskTemplate/RestartPolicy").toString()).isEqualTo(
        "{\"Condition\":\"on-failure\",\"Delay\":10000000000,\"MaxAttempts\":3,\"Window\":90000000000}");
    assertThat(s.get("UpdateConfig").toString()).isEqualTo(
        "{\"Parallelism\":2,\"Delay\":5000000000,\"FailureAction\":\"continue\",\"Monitor\":30000000000,\"MaxFailureRatio\":0.2,\"Order\":\"start-first\"}");
    assertThat(s.get("RollbackConfig").toString()).isEqualTo(
        "{\"Parallelism\":0,\"Delay\":1000000000,\"FailureAction\":\"continue\",\"Monitor\":2000000000,\"MaxFailureRatio\":0.5,\"Order\":\"start-first\"}");
    assertThat(c.get("StopSignal").asText()).isEqualTo("SIGINT");
    assertThat(c.get("StopGracePeriod").asLong()).isEqualTo(20_000_000_000L);
    assertThat(c.get("HealthCheck").toString()).isEqualTo(
        "{\"Test\":[\"CMD-SHELL\",\"wget -q -O- localhost\"],\"Interval\":5000000000,\"Timeout\":2000000000,"
      + "\"Retries\":4,\"StartPeriod\":60000000000,\"StartInterval\":500000000}");
    assertThat(c.get("Dir").asText()).isEqualTo("/app");
    assertThat(c.get("User").asText()).isEqualTo("1000:1000");
    assertThat(c.get("Hostname").asText()).isEqualTo("h1");
    assertThat(c.get("ReadOnly").asBoolean()).isTrue();
    assertThat(c.get("Init").asBoolean()).isTrue();
    assertThat(c.get("TTY").asBoolean()).isTrue();
    assertThat(c.get("Command").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");
    assertThat(c.get("Args").toString()).isEqualTo("[\"echo\",\"hi\"]");
  }

  @Test
  void modes() throws Exception {
    assertThat(spec("--mode", "global", "busybox").get("Mode").toString()).isEqualTo("{\"Global\":{}}");
    assertThat(spec("--mode", "replicated-job", "--replicas", "5", "--max-concurrent", "2", "busybox").get("Mode").toString())
        .isEqualTo("{\"ReplicatedJob\":{\"MaxConcurrent\":2,\"TotalCompletions\":5}}");
    assertThat(spec("--mode", "global-job", "busybox").get("Mode").toString()).isEqualTo("{\"GlobalJob\":{}}");
    assertThat(spec("--replicas", "0", "busybox").at("/Mode/Replicated/Replicas").asLong()).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "80|{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishMode\":\"ingress\"}",
      "8080:80/udp|{\"Protocol\":\"udp\",\"TargetPort\":80,\"PublishedPort\":8080,\"PublishMode\":\"ingress\"}",
      "target=80|{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishMode\":\"ingress\"}",
      "mode=host,target=80,published=81|{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":81,\"PublishMode\":\"host\"}"})
  void publishSyntaxes(String flag, String json) throws Exception {
    assertThat(spec("-p", flag, "busybox").at("/EndpointSpec/Ports/0").toString()).isEqualTo(json);
  }

  @Test
  void publishRanges() throws Exception {
    JsonNode ports = spec("-p", "8080-8081:80-81", "busybox").at("/EndpointSpec/Ports");
    assertThat(ports).hasSize(2);
    assertThat(ports.get(1).get("PublishedPort").asInt()).isEqualTo(8081);
    assertThat(ports.get(1).get("TargetPort").asInt()).isEqualTo(81);
  }

  @Test
  void volumeAndTmpfsMounts() throws Exception {
    JsonNode m = spec("--mount", "source=data,target=/d,volume-nocopy,volume-label=a=b,volume-driver=local,volume-opt=o=1",
        "--mount", "type=tmpfs,target=/t,tmpfs-size=64M,tmpfs-mode=1777",
        "--mount", "type=bind,src=/a,dst=/b,bind-propagation=rshared", "busybox").at("/TaskTemplate/ContainerSpec/Mounts");
    assertThat(m.get(0).toString()).isEqualTo("{\"Target\":\"/d\",\"Source\":\"data\",\"Type\":\"volume\",\"VolumeOptions\":"
        + "{\"NoCopy\":true,\"Labels\":{\"a\":\"b\"},\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"o\":\"1\"}}}}");
    assertThat(m.get(1).toString()).isEqualTo("{\"Target\":\"/t\",\"Type\":\"tmpfs\",\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1023}}");
    assertThat(m.get(2).get("BindOptions").toString()).isEqualTo("{\"Propagation\":\"rshared\"}");
  }

  @Test
  void bareEnvKeyTakesTheCliEnvironment() throws Exception {
    TestCli t = new TestCli("unix:///x.sock", false);
    ServiceCreate c = t.parse("service", "create", "-e", "SHOAL_HOST", "-e", "UNSET_VAR", "busybox");
    assertThat(Json.string(c.buildSpec())).contains("\"Env\":[\"SHOAL_HOST=unix:///x.sock\",\"UNSET_VAR\"]");
  }

  @Test
  void noHealthcheck() throws Exception {
    assertThat(spec("--no-healthcheck", "busybox").at("/TaskTemplate/ContainerSpec/HealthCheck/Test").toString())
        .isEqualTo("[\"NONE\"]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--limit-memory|12X|invalid argument \"12X\" for \"--limit-memory\" flag: invalid size: '12X'",
      "--limit-cpu|lots|invalid argument \"lots\" for \"--limit-cpu\" flag",
      "--reserve-memory|-1M|invalid argument \"-1M\" for \"--reserve-memory\" flag",
      "--replicas|-1|invalid argument \"-1\" for \"--replicas\" flag: must be a non-negative integer",
      "--replicas|three|invalid argument \"three\" for \"--replicas\" flag",
      "--restart-delay|5|invalid argument \"5\" for \"--restart-delay\" flag: invalid duration \"5\"",
      "--restart-condition|sometimes|must be one of none, on-failure, any",
      "--update-failure-action|explode|must be one of pause, continue, rollback",
      "--rollback-failure-action|rollback|must be one of pause, continue",
      "--update-order|random|must be one of start-first, stop-first",
      "--update-max-failure-ratio|2|must be between 0 and 1",
      "--mode|sometimes|for \"--mode\" flag",
      "--publish|80:80:80|hostip is not supported",
      "--publish|99999|invalid port 99999",
      "--publish|target=80,proto=tcp|invalid field key proto",
      "--publish|published=80|missing mandatory field \"target\"",
      "--mount|type=bind,target=/x|source is required when specifying bind",
      "--mount|source=x|target is required",
      "--mount|type=weird,target=/x|invalid mount type weird",
      "--mount|type=bind,source=/a,target=/b,tmpfs-size=1M|cannot mix 'tmpfs-*' options",
      "--placement-pref|pack=x|unsupported placement preference",
      "--stop-grace-period|forever|for \"--stop-grace-period\" flag",
      "--health-interval|-5s|must be positive",
      "--env|=x|invalid environment variable",
      "--endpoint-mode|ipvs|must be one of vip, dnsrr"})
  void badValuesAreUsageErrors(String flag, String value, String message) {
    assertThatThrownBy(() -> spec(flag, value, "busybox")).isInstanceOf(UsageException.class).hasMessageContaining(message);
  }

  @Test
  void modeConflicts() {
    assertThatThrownBy(() -> spec("--mode", "global", "--replicas", "2", "busybox"))
        .hasMessage("replicas can only be used with replicated or replicated-job mode");
    assertThatThrownBy(() -> spec("--max-concurrent", "2", "busybox"))
        .hasMessage("max-concurrent can only be used with replicated-job mode");
    assertThatThrownBy(() -> spec("--mode", "global", "--replicas-max-per-node", "1", "busybox"))
        .hasMessageContaining("replicas-max-per-node can only be used");
    assertThatThrownBy(() -> spec("--no-healthcheck", "--health-cmd", "true", "busybox"))
        .hasMessage("--no-healthcheck conflicts with --health-* options");
  }
}
