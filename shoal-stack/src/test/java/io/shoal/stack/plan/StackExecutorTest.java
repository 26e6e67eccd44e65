package io.shoal.stack.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.model.SecretReference;
import io.shoal.stack.Corpus;
import io.shoal.stack.StackException;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.convert.StackSpecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackExecutorTest {

  /** A clock that only moves when the executor pauses: waiting costs no real time. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final List<String> progress = new ArrayList<>();

  private StackExecutor executor(FakeTarget target) {
    return new StackExecutor(target, clock, d -> clock.now = clock.now.plus(d), Duration.ofMinutes(2),
        Duration.ofSeconds(1), progress::add);
  }

  @Test
  void createsInOrderWaitingForHealthAndFillingSecretIds() {
    FakeTarget target = new FakeTarget();
    // db becomes healthy (its task RUNNING) on the third poll
    target.readiness.put("shop_db", n -> new StackTarget.Readiness(1, n >= 3 ? 1 : 0, 0, 0));
    StackSpecs specs = StackConverter.convert("shop", Corpus.shop());
    Map<String, String> ids = executor(target).execute(StackPlanner.plan(specs, ClusterState.EMPTY, false));

    assertThat(target.log).containsExactly(
        "create network shop_backend", "create network shop_frontend",
        "create secret shop_db_password", "create secret shop_django_secret", "create config shop_nginx_v2",
        "create service shop_cache", "create service shop_db",
        "readiness shop_cache #1", "readiness shop_db #1", "readiness shop_db #2", "readiness shop_db #3",
        "create service shop_web",
        "readiness shop_cache #2", "readiness shop_db #4",
        "create service shop_worker");
    assertThat(clock.now).isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
    assertThat(ids).containsKeys("shop_web", "shop_db", "shop_cache", "shop_worker");
    List<SecretReference> refs = target.state("shop").service("shop_web").orElseThrow()
        .spec().taskTemplate().containerSpec().secrets();
    assertThat(refs).extracting(SecretReference::secretID).containsExactly("id3", "id4");
    assertThat(target.state("shop").service("shop_web").orElseThrow().spec().taskTemplate().containerSpec()
        .configs().get(0).configID()).isEqualTo("id5");
    assertThat(progress).contains("Waiting for shop_db (service_healthy)", "Creating service shop_web");
  }

  @Test
  void aDependencyThatNeverBecomesHealthyFailsAtTheDeadlineNamingIt() {
    FakeTarget target = new FakeTarget();
    target.readiness.put("shop_db", n -> new StackTarget.Readiness(1, 0, 0, 2));
    StackSpecs specs = StackConverter.convert("shop", Corpus.shop());
    assertThatThrownBy(() -> executor(target).execute(StackPlanner.plan(specs, ClusterState.EMPTY, false)))
        .isInstanceOf(StackException.DeployFailed.class)
        .hasMessage("service web depends on shop_db (service_healthy), which was not ready after PT2M:"
            + " 0/1 running, 0 completed, 2 failed");
    assertThat(clock.now).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
    assertThat(target.log).doesNotContain("create service shop_web");
  }

  @Test
  void waitsForAJobToCompleteAndStopsWhenItFails() {
    FakeTarget target = new FakeTarget();
    target.readiness.put("mon_migrate", n -> new StackTarget.Readiness(2, n < 2 ? 2 : 0, n < 2 ? 0 : 2, 0));
    StackSpecs specs = StackConverter.convert("mon", Corpus.load(Map.of(), "jobs/docker-compose.yml"));
    executor(target).execute(StackPlanner.plan(specs, ClusterState.EMPTY, false));
    assertThat(target.log).containsSubsequence("create service mon_migrate", "readiness mon_migrate #2",
        "create service mon_api");

    FakeTarget failing = new FakeTarget();
    failing.readiness.put("mon_migrate", n -> new StackTarget.Readiness(2, 0, 0, 2));
    assertThatThrownBy(() -> executor(failing).execute(StackPlanner.plan(specs, ClusterState.EMPTY, false)))
        .hasMessage("service api depends on mon_migrate completing successfully, but its tasks failed (2 failed)");
  }

  @Test
  void aRefusedWriteIsReportedWithItsStep() {
    FakeTarget target = new FakeTarget() {
      @Override
      public String createConfig(io.shoal.api.model.Secret.Spec spec) {
        throw new IllegalStateException("rpc error: config name conflicts");
      }
    };
    StackSpecs specs = StackConverter.convert("shop", Corpus.shop());
    assertThatThrownBy(() -> executor(target).execute(StackPlanner.plan(specs, ClusterState.EMPTY, false)))
        .isInstanceOf(StackException.DeployFailed.class)
        .hasMessage("Creating config shop_nginx_v2: rpc error: config name conflicts");
  }
}
