package io.shoal.stack.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Mount;
import io.shoal.api.model.Network;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Secret;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.stack.Corpus;
import io.shoal.stack.StackException;
import io.shoal.stack.load.ComposeLoader;
import io.shoal.stack.load.ComposeSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConverterTest {
  private static final String NS = StackConverter.NAMESPACE_LABEL;

  private static StackSpecs shop() {
    return StackConverter.convert("shop", Corpus.shop());
  }

  private static ServiceSpec spec(StackSpecs s, String name) {
    return s.service(name).orElseThrow().spec();
  }

  private static StackSpecs yaml(String text) {
    return StackConverter.convert("st", ComposeLoader.builder().build()
        .loadSources(List.of(ComposeSource.ofText("s.yml", text, Path.of("/srv")))));
  }

  @Test
  void webServiceIsExactlyWhatDockerStackDeploySends() {
    JsonNode actual = Corpus.json(spec(shop(), "web"));
    JsonNode expected = Corpus.expected("webapp/expected-web.json");
    assertThat(actual.toPrettyString()).isEqualTo(expected.toPrettyString());
  }

  @Test
  void globalServiceIsExactlyWhatDockerStackDeploySends() {
    StackSpecs s = StackConverter.convert("mon", Corpus.load(Map.of(), "jobs/docker-compose.yml"));
    assertThat(Corpus.json(spec(s, "node-exporter")).toPrettyString())
        .isEqualTo(Corpus.expected("jobs/expected-node-exporter.json").toPrettyString());
    assertThat(Corpus.json(spec(s, "prune").mode()).toString()).isEqualTo("{\"GlobalJob\":{}}");
    assertThat(Corpus.json(spec(s, "migrate").mode()).toString())
        .isEqualTo("{\"ReplicatedJob\":{\"MaxConcurrent\":2,\"TotalCompletions\":2}}");
  }

  @Test
  void networkCreateRequestsAreExactlyWhatDockerStackDeploySends() {
    assertThat(Corpus.json(shop().networks()).toPrettyString())
        .isEqualTo(Corpus.expected("webapp/expected-networks.json").toPrettyString());
  }

  @Test
  void topLevelDefaultNetworkIsHonoured() {
    StackSpecs s = yaml("services:\n  a:\n    image: n\nnetworks:\n  default:\n    driver_opts:\n      encrypted: \"true\"\n");
    assertThat(s.networks()).singleElement().satisfies(n -> {
      assertThat(n.name()).isEqualTo("st_default");
      assertThat(n.options()).containsExactly(Map.entry("encrypted", "true"));
    });
  }

  @Test
  void databaseService() {
    ServiceSpec db = spec(shop(), "db");
    ContainerSpec c = db.taskTemplate().containerSpec();
    assertThat(db.name()).isEqualTo("shop_db");
    assertThat(db.labels()).containsExactlyInAnyOrderEntriesOf(
        Map.of(NS, "shop", StackConverter.IMAGE_LABEL, "postgres:16"));
    assertThat(c.labels()).containsExactly(Map.entry(NS, "shop"));
    assertThat(c.env()).containsExactly("POSTGRES_DB=shop", "POSTGRES_PASSWORD_FILE=/run/secrets/db_password",
        "POSTGRES_USER=shop");
    assertThat(c.command()).isNull();
    assertThat(c.args()).isNull();
    Mount m = c.mounts().get(0);
    assertThat(m.type()).isEqualTo("volume");
    assertThat(m.source()).isEqualTo("shop_dbdata");
    assertThat(m.target()).isEqualTo("/var/lib/postgresql/data");
    assertThat(m.volumeOptions().noCopy()).isTrue();
    assertThat(m.volumeOptions().labels()).containsExactly(Map.entry(NS, "shop"), Map.entry("com.example.backup", "daily"))
        .hasSize(2);
    assertThat(m.volumeOptions().driverConfig().name()).isEqualTo("local");
    assertThat(m.volumeOptions().driverConfig().options())
        .containsExactlyInAnyOrderEntriesOf(Map.of("type", "none", "o", "bind", "device", "/mnt/pg"));
    assertThat(c.healthCheck().test()).containsExactly("CMD", "pg_isready", "-U", "shop");
    assertThat(c.healthCheck().interval()).isEqualTo(10_000_000_000L);
    assertThat(c.healthCheck().timeout()).isEqualTo(3_000_000_000L);
    assertThat(c.healthCheck().retries()).isEqualTo(5);
    assertThat(c.ulimits()).containsExactly(new ContainerSpec.Ulimit("nofile", 20000L, 40000L),
        new ContainerSpec.Ulimit("nproc", 65535L, 65535L));
    assertThat(c.sysctls()).containsExactly(Map.entry("net.core.somaxconn", "1024"));
    assertThat(c.secrets()).singleElement().satisfies(r -> {
      assertThat(r.secretName()).isEqualTo("shop_db_password");
      assertThat(r.file().name()).isEqualTo("db_password");
      assertThat(r.file().mode()).isEqualTo(0444);
    });
    assertThat(db.endpointSpec().mode()).isEqualTo("dnsrr");
    assertThat(db.endpointSpec().ports()).isNull();
    assertThat(db.mode()).isEqualTo(new ServiceMode(new ServiceMode.Replicated(null), null, null, null));
    assertThat(db.updateConfig()).isNull();
    assertThat(db.taskTemplate().restartPolicy()).isNull();
    assertThat(db.taskTemplate().placement().constraints()).containsExactly("node.labels.db == true");
    assertThat(db.taskTemplate().networks()).singleElement().satisfies(n -> {
      assertThat(n.target()).isEqualTo("shop_backend");
      assertThat(n.aliases()).containsExactly("db");
    });
    assertThat(Corpus.json(db.taskTemplate().resources()).toString()).isEqualTo("{}");
  }

  @Test
  void cacheAndWorker() {
    StackSpecs s = shop();
    ServiceSpec cache = spec(s, "cache");
    ContainerSpec c = cache.taskTemplate().containerSpec();
    assertThat(c.args()).containsExactly("redis-server", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru");
    assertThat(c.mounts()).containsExactly(new Mount("/data", null, "tmpfs", null, null, null, null,
        new Mount.TmpfsOptions(64L * 1024 * 1024, 01777, null), null));
    assertThat(cache.mode().replicated().replicas()).isEqualTo(1L);
    assertThat(cache.updateConfig().parallelism()).isEqualTo(1L);
    assertThat(cache.updateConfig().order()).isEqualTo("start-first");
    assertThat(cache.taskTemplate().resources().limits().memoryBytes()).isEqualTo(300L * 1024 * 1024);
    assertThat(cache.taskTemplate().resources().limits().nanoCPUs()).isNull();
    assertThat(cache.taskTemplate().networks().get(0).aliases()).containsExactly("redis", "cache");

    ServiceSpec worker = spec(s, "worker");
    // legacy "restart: on-failure:5" is used when deploy.restart_policy is absent
    assertThat(worker.taskTemplate().restartPolicy()).isEqualTo(new RestartPolicy("on-failure", null, 5L, null));
    assertThat(worker.taskTemplate().containerSpec().args()).containsExactly("celery", "-A", "shop", "worker");
    assertThat(s.service("worker").orElseThrow().dependsOn()).containsExactly(
        new Dependency("cache", Dependency.Condition.SERVICE_STARTED),
        new Dependency("db", Dependency.Condition.SERVICE_STARTED));
    assertThat(s.service("web").orElseThrow().dependsOn()).containsExactly(
        new Dependency("cache", Dependency.Condition.SERVICE_STARTED),
        new Dependency("db", Dependency.Condition.SERVICE_HEALTHY));
  }

  @Test
  void networksUsedByServicesAreCreatedWithStackLabels() {
    List<Network.NetworkSpec> nets = shop().networks();
    assertThat(nets).extracting(Network.NetworkSpec::name).containsExactly("shop_backend", "shop_frontend");
    Network.NetworkSpec backend = nets.get(0);
    assertThat(backend.driver()).isEqualTo("overlay");
    assertThat(backend.scope()).isEqualTo("swarm");
    assertThat(backend.internal()).isTrue();
    assertThat(backend.attachable()).isNull();
    assertThat(backend.options()).containsExactly(Map.entry("encrypted", ""));
    assertThat(backend.labels()).containsExactly(Map.entry(NS, "shop"));
    assertThat(backend.ipam().toString()).isEqualTo("{\"Config\":[{\"Subnet\":\"10.20.0.0/16\"}]}");
    Network.NetworkSpec frontend = nets.get(1);
    assertThat(frontend.attachable()).isTrue();
    assertThat(frontend.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(NS, "shop", "com.example.purpose", "public"));
  }

  @Test
  void secretsAndConfigsCarryFileDataAndNames() {
    StackSpecs s = shop();
    assertThat(s.secrets()).extracting(Secret.Spec::name).containsExactly("shop_db_password", "shop_django_secret");
    Secret.Spec pw = s.secrets().get(0);
    assertThat(new String(Base64.getDecoder().decode(pw.data()), StandardCharsets.UTF_8)).isEqualTo("pg-pass");
    assertThat(pw.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(NS, "shop", "com.example.rotation", "yearly"));
    assertThat(s.configs()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("shop_nginx_v2");
      assertThat(new String(Base64.getDecoder().decode(c.data()), StandardCharsets.UTF_8)).isEqualTo("events {}\n");
    });
    assertThat(s.externals()).isEmpty();
  }

  @Test
  void globalAndJobServicesOnTheDefaultNetwork() {
    StackSpecs s = StackConverter.convert("mon", Corpus.load(Map.of(), "jobs/docker-compose.yml"));
    assertThat(s.networks()).singleElement().satisfies(n -> {
      assertThat(n.name()).isEqualTo("mon_default");
      assertThat(n.driver()).isEqualTo("overlay");
      assertThat(n.labels()).containsExactly(Map.entry(NS, "mon"));
    });
    ServiceSpec exporter = spec(s, "node-exporter");
    assertThat(exporter.mode()).isEqualTo(new ServiceMode(null, new ServiceMode.Global(), null, null));
    assertThat(exporter.taskTemplate().networks()).singleElement().satisfies(n -> {
      assertThat(n.target()).isEqualTo("mon_default");
      assertThat(n.aliases()).containsExactly("node-exporter");
    });
    assertThat(exporter.endpointSpec().ports()).containsExactly(
        new PortConfig(null, "udp", 8125, 8125, "ingress"),
        new PortConfig(null, "udp", 8126, 8126, "ingress"),
        new PortConfig(null, "tcp", 9100, 9100, "ingress"));
    List<Mount> mounts = exporter.taskTemplate().containerSpec().mounts();
    assertThat(mounts.get(0)).isEqualTo(new Mount("/host/proc", "/proc", "bind", true, null, null, null, null, null));
    assertThat(mounts.get(1).bindOptions().toString()).isEqualTo("{\"Propagation\":\"rslave\"}");
    assertThat(mounts.get(1).readOnly()).isTrue();

    assertThat(spec(s, "migrate").mode()).isEqualTo(
        new ServiceMode(null, null, new ServiceMode.ReplicatedJob(2L, 2L), null));
    assertThat(spec(s, "migrate").taskTemplate().restartPolicy().condition()).isEqualTo("none");
    assertThat(spec(s, "prune").mode()).isEqualTo(new ServiceMode(null, null, null, new ServiceMode.Global()));
    assertThat(spec(s, "prune").taskTemplate().containerSpec().args()).containsExactly("sh", "-c", "rm -rf /cache/*");
    ServiceSpec api = spec(s, "api");
    assertThat(api.mode().replicated().replicas()).isZero();
    assertThat(api.endpointSpec().ports()).containsExactly(new PortConfig(null, "tcp", 8080, null, "ingress"));
    assertThat(s.service("api").orElseThrow().dependsOn())
        .containsExactly(new Dependency("migrate", Dependency.Condition.SERVICE_COMPLETED_SUCCESSFULLY));
  }

  @Test
  void overrideFilesAndExternalObjects() {
    StackSpecs s = StackConverter.convert("prod", Corpus.load(Map.of(), "override/base.yml", "override/prod.yml"));
    assertThat(s.externals()).containsExactly(new ExternalRef(ExternalRef.Kind.NETWORK, "traefik_public"),
        new ExternalRef(ExternalRef.Kind.SECRET, "shared_api_key"));
    assertThat(s.secrets()).isEmpty();
    ServiceSpec web = spec(s, "web");
    assertThat(web.taskTemplate().containerSpec().secrets()).singleElement()
        .satisfies(r -> assertThat(r.secretName()).isEqualTo("shared_api_key"));
    assertThat(web.taskTemplate().containerSpec().dnsConfig().nameservers()).containsExactly("1.1.1.1", "8.8.8.8");
    assertThat(web.mode().replicated().replicas()).isEqualTo(4L);
    assertThat(web.taskTemplate().resources().limits().nanoCPUs()).isEqualTo(2_000_000_000L);
    assertThat(web.taskTemplate().resources().limits().memoryBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(spec(s, "proxy").taskTemplate().networks()).singleElement()
        .satisfies(n -> assertThat(n.target()).isEqualTo("traefik_public"));
    assertThat(s.networks()).extracting(Network.NetworkSpec::name).containsExactly("prod_default");
  }

  @Test
  void healthcheckDisableAndStopAndExtras() {
    StackSpecs s = yaml("services:\n  a:\n    image: n\n    healthcheck:\n      disable: true\n"
        + "    dns_opt: [ndots:2]\n    stop_grace_period: 1m30s\n    tty: true\n    stdin_open: false\n");
    ContainerSpec c = spec(s, "a").taskTemplate().containerSpec();
    assertThat(c.healthCheck().test()).containsExactly("NONE");
    assertThat(c.healthCheck().interval()).isNull();
    assertThat(c.dnsConfig().options()).containsExactly("ndots:2");
    assertThat(c.stopGracePeriod()).isEqualTo(90_000_000_000L);
    assertThat(c.tty()).isTrue();
    assertThat(c.openStdin()).isNull();
  }

  @Test
  void mappingErrorsNameServiceAndProblem() {
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    networks: [nope]\n"))
        .isInstanceOf(StackException.InvalidCompose.class).hasMessage("service a: undefined network \"nope\"");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    secrets: [s]\n"))
        .hasMessage("service a: undefined secret \"s\"");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    volumes: [data:/d]\n"))
        .hasMessage("service a: volumes.0: undefined volume \"data\"");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    deploy:\n      mode: global\n      replicas: 2\n"))
        .hasMessage("service a: replicas can only be used with replicated or replicated-job mode");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    build: .\n"))
        .hasMessage("service a: image is required");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    depends_on: [b]\n"))
        .hasMessage("service a: depends_on: undefined service \"b\"");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    deploy:\n      resources:\n        limits:\n"
        + "          cpus: \"0.0000000001\"\n")).hasMessage("service a: value is too precise: 0.0000000001");
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: n\n    healthcheck:\n      disable: true\n      test: [CMD, x]\n"))
        .hasMessage("service a: test and disable can't be set at the same time");
    assertThatThrownBy(() -> StackConverter.convert("-bad", Corpus.shop()))
        .hasMessageStartingWith("invalid stack name \"-bad\"");
  }

  @Test
  void units() {
    assertThat(Units.durationNanos("1m30s")).isEqualTo(90_000_000_000L);
    assertThat(Units.durationNanos("1.5h")).isEqualTo(5_400_000_000_000L);
    assertThat(Units.durationNanos("250ms")).isEqualTo(250_000_000L);
    assertThat(Units.durationNanos("10us")).isEqualTo(10_000L);
    assertThat(Units.durationNanos("0")).isZero();
    assertThat(Units.bytes("512M")).isEqualTo(536_870_912L);
    assertThat(Units.bytes("1.5g")).isEqualTo(1_610_612_736L);
    assertThat(Units.bytes("64mb")).isEqualTo(67_108_864L);
    assertThat(Units.bytes("100")).isEqualTo(100L);
    assertThat(Units.bytes("2KiB")).isEqualTo(2048L);
    assertThat(Units.nanoCpus("0.5")).isEqualTo(500_000_000L);
    assertThat(Units.nanoCpus("2")).isEqualTo(2_000_000_000L);
    assertThatThrownBy(() -> Units.durationNanos("10")).hasMessage("invalid duration \"10\"");
    assertThatThrownBy(() -> Units.durationNanos("1x")).hasMessage("invalid duration \"1x\"");
    assertThatThrownBy(() -> Units.bytes("12 parsecs")).hasMessage("invalid size: '12 parsecs'");
  }
}
