package io.shoal.stack.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.Version;
import io.shoal.stack.Corpus;
import io.shoal.stack.StackException;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.convert.StackService;
import io.shoal.stack.convert.StackSpecs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackPlannerTest {

  private static StackSpecs shop() {
    return StackConverter.convert("shop", Corpus.shop());
  }

  private static List<String> describe(StackPlan plan) {
    return plan.steps().stream().map(Step::describe).toList();
  }

  /** The cluster as it is after a deploy of {@code specs}: every object exists as specified. */
  private static ClusterState deployed(StackSpecs specs) {
    FakeTarget t = new FakeTarget();
    specs.networks().forEach(t::createNetwork);
    specs.secrets().forEach(t::createSecret);
    specs.configs().forEach(t::createConfig);
    specs.services().forEach(s -> t.createService(s.spec()));
    return t.state("shop");
  }

  @Test
  void firstDeployCreatesEverythingInDependencyOrder() {
    StackPlan plan = StackPlanner.plan(shop(), ClusterState.EMPTY, false);
    assertThat(describe(plan)).containsExactly(
        "Creating network shop_backend",
        "Creating network shop_frontend",
        "Creating secret shop_db_password",
        "Creating secret shop_django_secret",
        "Creating config shop_nginx_v2",
        "Creating service shop_cache",
        "Creating service shop_db",
        "Creating service shop_web",
        "Creating service shop_worker");
  }

  @Test
  void redeployOfTheSameFileChangesNothing() {
    StackSpecs specs = shop();
    StackPlan plan = StackPlanner.plan(specs, deployed(specs), true);
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.unchanged()).containsExactly("shop_cache", "shop_db", "shop_web", "shop_worker");
  }

  @Test
  void redeployUpdatesOnlyTheChangedServiceKeepingForceUpdate() {
    StackSpecs specs = shop();
    ClusterState current = deployed(specs);
    // the running web service was force-updated once; a redeploy must not undo that counter
    List<Service> services = current.services().stream().map(s -> s.spec().name().equals("shop_web")
        ? s.withSpec(s.spec().withTaskTemplate(new io.shoal.api.model.TaskSpec(null,
            s.spec().taskTemplate().containerSpec(), null, s.spec().taskTemplate().resources(),
            s.spec().taskTemplate().restartPolicy(), s.spec().taskTemplate().placement(), 1L, null,
            s.spec().taskTemplate().networks(), s.spec().taskTemplate().logDriver())), null) : s).toList();
    current = new ClusterState(services, current.networks(), current.secrets(), current.configs());

    var env = new java.util.HashMap<>(Corpus.SHOP_ENV);
    env.put("WEB_TAG", "1.5.0");
    StackSpecs next = StackConverter.convert("shop", Corpus.load(env, "webapp/docker-compose.yml"));
    StackPlan plan = StackPlanner.plan(next, current, false);
    // web and worker use WEB_TAG; the rest is untouched
    assertThat(plan.steps()).hasSize(2).allMatch(s -> s instanceof Step.UpdateService);
    Step.UpdateService web = (Step.UpdateService) plan.steps().stream()
        .filter(s -> ((Step.UpdateService) s).current().spec().name().equals("shop_web")).findFirst().orElseThrow();
    assertThat(web.service().spec().taskTemplate().forceUpdate()).isEqualTo(1L);
    assertThat(web.service().spec().taskTemplate().containerSpec().image()).isEqualTo("registry.example.com/shop/web:1.5.0");
    assertThat(plan.unchanged()).containsExactly("shop_cache", "shop_db");
  }

  @Test
  void defaultsFilledInByTheEngineDoNotCountAsChanges() {
    StackSpecs specs = shop();
    ClusterState current = deployed(specs);
    List<Service> filled = current.services().stream().map(s -> {
      var ports = s.spec().portsOrEmpty().stream().map(p -> new io.shoal.api.model.PortConfig(p.name(),
          p.protocolOrDefault(), p.targetPort(), p.publishedPort(), p.publishModeOrDefault())).toList();
      var spec = s.spec().withEndpointSpec(new io.shoal.api.model.EndpointSpec(s.spec().endpointSpec().mode(),
          ports.isEmpty() ? null : ports));
      if (spec.mode().replicated() != null && spec.mode().replicated().replicas() == null) {
        spec = spec.withMode(io.shoal.api.model.ServiceMode.replicas(1));
      }
      return s.withSpec(spec, null);
    }).toList();
    ClusterState engine = new ClusterState(filled, current.networks(), current.secrets(), current.configs());
    assertThat(StackPlanner.plan(specs, engine, true).isEmpty()).isTrue();
  }

  @Test
  void pruneRemovesOnlyThisStacksServicesThatLeftTheFile() {
    StackSpecs specs = shop();
    ClusterState current = deployed(specs);
    Service old = new Service("old", new Version(9), Instant.EPOCH, Instant.EPOCH,
        specs.services().get(0).spec().withLabels(Map.of(StackConverter.NAMESPACE_LABEL, "shop"))
            .withTaskTemplate(specs.services().get(0).spec().taskTemplate()), null, null, null, null, null);
    Service oldRenamed = new Service("old", old.version(), old.createdAt(), old.updatedAt(),
        new io.shoal.api.model.ServiceSpec("shop_legacy", old.spec().labels(), old.spec().taskTemplate(),
            null, null, null, null, null), null, null, null, null, null);
    Service foreign = new Service("other", new Version(9), Instant.EPOCH, Instant.EPOCH,
        new io.shoal.api.model.ServiceSpec("blog_web", Map.of(StackConverter.NAMESPACE_LABEL, "blog"),
            old.spec().taskTemplate(), null, null, null, null, null), null, null, null, null, null);
    List<Service> all = new java.util.ArrayList<>(current.services());
    all.add(oldRenamed);
    all.add(foreign);
    ClusterState withExtra = new ClusterState(all, current.networks(), current.secrets(), current.configs());
    assertThat(describe(StackPlanner.plan(specs, withExtra, true))).containsExactly("Removing service shop_legacy");
    assertThat(StackPlanner.plan(specs, withExtra, false).isEmpty()).isTrue();
  }

  @Test
  void missingExternalsAreNamedBeforeAnythingIsPlanned() {
    StackSpecs specs = StackConverter.convert("app", Corpus.load(Map.of(), "bad/external.yml"));
    assertThatThrownBy(() -> StackPlanner.plan(specs, ClusterState.EMPTY, false))
        .isInstanceOfSatisfying(StackException.MissingExternal.class,
            e -> assertThat(e.missing()).containsExactly("network proxy", "secret tls_key"))
        .hasMessage("network \"proxy\" is declared as external, but could not be found. You need to create a"
            + " swarm-scoped network before the stack is deployed\n"
            + "secret \"tls_key\" is declared as external, but could not be found");
    ClusterState present = new ClusterState(List.of(),
        List.of(new Network("n1", Version.ZERO, Instant.EPOCH, Instant.EPOCH,
            new Network.NetworkSpec("proxy", "overlay", "swarm", null, null, null, null, null, null, null))),
        List.of(new Secret("s1", Version.ZERO, Instant.EPOCH, Instant.EPOCH,
            new Secret.Spec("tls_key", null, null, null, null))), List.of());
    assertThat(describe(StackPlanner.plan(specs, present, false))).containsExactly("Creating service app_app");
  }

  @Test
  void aChangedSecretIsRefusedAndLabelChangesAreUpdates() {
    StackSpecs specs = shop();
    ClusterState current = deployed(specs);
    Secret pw = current.secret("shop_db_password").orElseThrow();
    Secret changed = new Secret(pw.id(), pw.version(), pw.createdAt(), pw.updatedAt(),
        new Secret.Spec(pw.spec().name(), pw.spec().labels(), "b2xk", null, null));
    List<Secret> secrets = current.secrets().stream().map(s -> s.id().equals(pw.id()) ? changed : s).toList();
    assertThatThrownBy(() -> StackPlanner.plan(specs,
        new ClusterState(current.services(), current.networks(), secrets, current.configs()), false))
        .isInstanceOf(StackException.InvalidCompose.class)
        .hasMessageStartingWith("secret shop_db_password: its content changed");

    Config conf = current.config("shop_nginx_v2").orElseThrow();
    Config relabelled = new Config(conf.id(), conf.version(), conf.createdAt(), conf.updatedAt(),
        new Secret.Spec(conf.spec().name(), Map.of(), conf.spec().data(), null, null));
    StackPlan plan = StackPlanner.plan(specs,
        new ClusterState(current.services(), current.networks(), current.secrets(), List.of(relabelled)), false);
    assertThat(describe(plan)).containsExactly("Updating config shop_nginx_v2");
  }

  @Test
  void dependencyCycleIsNamed() {
    StackSpecs specs = StackConverter.convert("c", Corpus.load(Map.of(), "bad/cycle.yml"));
    assertThatThrownBy(() -> StackPlanner.plan(specs, ClusterState.EMPTY, false))
        .isInstanceOfSatisfying(StackException.DependencyCycle.class,
            e -> assertThat(e.cycle()).containsExactly("a", "b", "c", "a"))
        .hasMessage("depends_on forms a cycle: a -> b -> c -> a");
  }

  @Test
  void dependencyOrderIsTopologicalAndStable() {
    StackSpecs specs = StackConverter.convert("shop", Corpus.shop());
    assertThat(DependencyOrder.sort(specs.services())).extracting(StackService::composeName)
        .containsExactly("cache", "db", "web", "worker");
    StackSpecs jobs = StackConverter.convert("mon", Corpus.load(Map.of(), "jobs/docker-compose.yml"));
    assertThat(DependencyOrder.sort(jobs.services())).extracting(StackService::composeName)
        .containsExactly("migrate", "api", "node-exporter", "prune");
  }

  @Test
  void stackRmRemovesServicesThenSecretsConfigsAndNetworks() {
    StackSpecs specs = shop();
    List<String> steps = describe(StackPlanner.remove("shop", deployed(specs)));
    assertThat(steps).containsExactly(
        "Removing service shop_cache", "Removing service shop_db", "Removing service shop_web",
        "Removing service shop_worker", "Removing secret shop_db_password", "Removing secret shop_django_secret",
        "Removing config shop_nginx_v2", "Removing network shop_backend", "Removing network shop_frontend");
    assertThat(StackPlanner.remove("other", deployed(specs)).isEmpty()).isTrue();
  }
}
