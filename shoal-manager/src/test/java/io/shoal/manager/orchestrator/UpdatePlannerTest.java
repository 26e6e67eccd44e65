package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.UpdateConfig;
import io.shoal.manager.Harness;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpdatePlannerTest {
  static final long SEC = 1_000_000_000L;

  static ServiceSpec image(ServiceSpec s, String image) {
    return s.withTaskTemplate(s.taskTemplate().withContainerSpec(s.taskTemplate().containerSpec().withImage(image)));
  }

  static ServiceSpec base(int replicas, UpdateConfig u) {
    // restart delay 1 s: a task that keeps failing is retried once per second, not in a tight loop
    return withRestart(spec("web", replicas), "any", SEC, null, null).withUpdateConfig(u);
  }

  static long onImage(Harness h, Service s, String image, boolean running) {
    return h.tasks(s.id()).stream().filter(t -> t.spec().containerSpec().image().equals(image)
        && (!running || t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING)).count();
  }

  static Harness started(int replicas, UpdateConfig u, long seed) {
    Harness h = new Harness(seed).nodes(node("n1"), node("n2"));
    return h;
  }

  static Service update(Harness h, Service s, ServiceSpec next) {
    return h.api.updateService(s.id(), h.service(s.id()).version().index(), next, false);
  }

  /** One step of everything; checks the invariants of the update's order after it. */
  static void stepChecking(Harness h, Service s, int replicas, long parallelism, boolean startFirst) {
    h.orchestrate();
    h.workers();
    List<Task> tasks = h.tasks(s.id());
    long running = tasks.stream().filter(t -> t.state() == TaskState.RUNNING).count();
    if (startFirst) {
      assertThat(running).as("start-first never drops below replicas").isGreaterThanOrEqualTo(replicas);
    } else {
      assertThat(running).as("stop-first never runs two tasks of a slot").isLessThanOrEqualTo(replicas);
    }
    // slots with a new task that is not yet running: at most parallelism
    Set<Long> inFlight = new HashSet<>();
    for (Task t : tasks) {
      if (t.spec().containerSpec().image().equals("busybox:2") && Slots.active(t) && t.state() != TaskState.RUNNING) inFlight.add(t.slot());
    }
    assertThat(inFlight.size()).as("in flight").isLessThanOrEqualTo((int) parallelism);
  }

  @Test
  void aRunningTaskRetiresOlderGenerationsOfItsSlotEvenWhenItIsOutOfDateItself() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "pause", 2 * SEC, 0.0, "start-first");
    Service s = service("s1", image(base(1, u), "busybox:3"))
        .withUpdateStatus(new Service.UpdateStatus(UpdatePlanner.PAUSED, T0, null, "update paused"));
    Task g1 = task("g1", service("s1", image(base(1, u), "busybox:1")), 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Task g2 = task("g2", service("s1", image(base(1, u), "busybox:2")), 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0.plusSeconds(1));
    Plan p = new UpdatePlanner(new TaskFactory(new java.util.SplittableRandom(2)))
        .plan(s, List.of(g1, g2), java.util.Map.of("n1", node("n1")), T0.plusSeconds(2));
    assertThat(p.creates).as("paused: no new task").isEmpty();
    assertThat(p.updates).singleElement().satisfies(o -> {
      assertThat(((Task) o).id()).isEqualTo("g1");
      assertThat(((Task) o).desiredState()).isEqualTo(TaskState.SHUTDOWN);
    });
  }

  @Test
  void stopFirstParallelismOneReplacesOneSlotAtATimeThenCompletesAfterMonitor() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "pause", 2 * SEC, 0.0, "stop-first");
    Harness h = started(3, u, 41);
    Service s = h.create(base(3, u));
    h.settle();
    update(h, s, image(base(3, u), "busybox:2"));
    for (int i = 0; i < 40; i++) stepChecking(h, s, 3, 1, false);
    assertThat(onImage(h, s, "busybox:2", true)).isEqualTo(3);
    assertThat(h.service(s.id()).updateStatus().state()).isEqualTo("updating"); // monitor not over
    h.settleFor(Duration.ofSeconds(3), Duration.ofSeconds(1));
    Service done = h.service(s.id());
    assertThat(done.updateStatus().state()).isEqualTo("completed");
    assertThat(done.updateStatus().message()).isEqualTo("update completed");
    assertThat(done.updateStatus().completedAt()).isNotNull();
    assertThat(h.tasks(s.id())).hasSize(6); // old ones kept as history, in their slots
    assertThat(Harness.slots(h.running(s.id()))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void startFirstStartsTheNewTaskBeforeStoppingTheOld() {
    UpdateConfig u = new UpdateConfig(2L, 0L, "pause", SEC, 0.0, "start-first");
    Harness h = started(4, u, 42);
    Service s = h.create(base(4, u));
    h.settle();
    update(h, s, image(base(4, u), "busybox:2"));
    for (int i = 0; i < 40; i++) stepChecking(h, s, 4, 2, true);
    assertThat(onImage(h, s, "busybox:2", true)).isEqualTo(4);
    assertThat(onImage(h, s, "busybox", true)).isZero();
  }

  @Test
  void delayWaitsBetweenSlots() {
    UpdateConfig u = new UpdateConfig(1L, 10 * SEC, "pause", SEC, 0.0, "stop-first");
    Harness h = started(2, u, 43);
    Service s = h.create(base(2, u));
    h.settle();
    update(h, s, image(base(2, u), "busybox:2"));
    h.settle();
    assertThat(onImage(h, s, "busybox:2", true)).isEqualTo(1);
    h.clock.advance(Duration.ofSeconds(9));
    h.settle();
    assertThat(onImage(h, s, "busybox:2", true)).isEqualTo(1);
    h.clock.advance(Duration.ofSeconds(1));
    h.settle();
    assertThat(onImage(h, s, "busybox:2", true)).isEqualTo(2);
  }

  @Test
  void failureActionPauseStopsTheUpdate() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "pause", 5 * SEC, 0.0, "stop-first");
    Harness h = started(3, u, 44);
    Service s = h.create(base(3, u));
    h.settle();
    h.failOnStart = t -> t.spec().containerSpec().image().equals("busybox:bad");
    update(h, s, image(base(3, u), "busybox:bad"));
    h.settleFor(Duration.ofSeconds(20), Duration.ofSeconds(1));
    Service.UpdateStatus st = h.service(s.id()).updateStatus();
    assertThat(st.state()).isEqualTo("paused");
    assertThat(st.message()).startsWith("update paused due to failure or early termination of task ");
    // only the first slot was touched
    assertThat(onImage(h, s, "busybox", true)).isEqualTo(2);
  }

  @Test
  void failureActionContinueCarriesOn() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "continue", 5 * SEC, 0.0, "stop-first");
    Harness h = started(3, u, 45);
    Service s = h.create(base(3, u));
    h.settle();
    h.failOnStart = t -> t.spec().containerSpec().image().equals("busybox:bad");
    update(h, s, image(base(3, u), "busybox:bad"));
    h.settleFor(Duration.ofSeconds(20), Duration.ofSeconds(1));
    assertThat(onImage(h, s, "busybox", true)).isZero();
    // every slot got the new spec; with "continue" the failures do not hold the update back
    assertThat(h.service(s.id()).updateStatus().state()).isEqualTo("completed");
  }

  @Test
  void failureActionRollbackGoesBackToThePreviousSpec() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "rollback", 5 * SEC, 0.0, "stop-first");
    Harness h = started(3, u, 46);
    Service s = h.create(base(3, u));
    h.settle();
    h.failOnStart = t -> t.spec().containerSpec().image().equals("busybox:bad");
    update(h, s, image(base(3, u), "busybox:bad"));
    h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(1));
    Service back = h.service(s.id());
    assertThat(back.spec().taskTemplate().containerSpec().image()).isEqualTo("busybox");
    assertThat(back.previousSpec().taskTemplate().containerSpec().image()).isEqualTo("busybox:bad");
    assertThat(back.updateStatus().state()).isEqualTo("rollback_completed");
    assertThat(onImage(h, s, "busybox", true)).isEqualTo(3);
  }

  @Test
  void maxFailureRatioToleratesThatShareOfSlots() {
    for (double ratio : new double[] {0.0, 0.5}) {
      UpdateConfig u = new UpdateConfig(1L, 0L, "pause", 5 * SEC, ratio, "stop-first");
      Harness h = started(4, u, 47);
      Service s = h.create(base(4, u));
      h.settle();
      Set<String> failedOnce = new HashSet<>();
      // the first new task fails once, early; its restart runs
      h.failOnStart = t -> t.spec().containerSpec().image().equals("busybox:2") && failedOnce.isEmpty() && failedOnce.add(t.id());
      update(h, s, image(base(4, u), "busybox:2"));
      h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(1));
      String state = h.service(s.id()).updateStatus().state();
      assertThat(state).as("ratio " + ratio).isEqualTo(ratio == 0.0 ? "paused" : "completed");
    }
  }

  @Test
  void manualRollbackRestoresThePreviousSpec() {
    UpdateConfig u = new UpdateConfig(0L, 0L, "pause", SEC, 0.0, "stop-first");
    Harness h = started(2, u, 48);
    Service s = h.create(base(2, u));
    h.settle();
    update(h, s, image(base(2, u), "busybox:2"));
    h.settleFor(Duration.ofSeconds(3), Duration.ofSeconds(1));
    assertThat(h.service(s.id()).updateStatus().state()).isEqualTo("completed");
    h.api.updateService(s.id(), h.service(s.id()).version().index(), null, true);
    h.settleFor(Duration.ofSeconds(6), Duration.ofSeconds(1)); // the default rollback monitor is 5 s
    assertThat(onImage(h, s, "busybox", true)).isEqualTo(2);
    assertThat(h.service(s.id()).updateStatus().state()).isEqualTo("rollback_completed");
  }

  @Test
  void rollbackAfterFailureRestoresThePublishedPortsToo() {
    UpdateConfig u = new UpdateConfig(1L, 0L, "rollback", 5 * SEC, 0.0, "stop-first");
    Harness h = started(2, u, 49);
    ServiceSpec v1 = base(2, u).withEndpointSpec(new io.shoal.api.model.EndpointSpec(null,
        List.of(new io.shoal.api.model.PortConfig(null, null, 80, 8080, null))));
    Service s = h.create(v1);
    h.settle();
    h.failOnStart = t -> t.spec().containerSpec().image().equals("busybox:bad");
    update(h, s, image(v1, "busybox:bad").withEndpointSpec(new io.shoal.api.model.EndpointSpec(null,
        List.of(new io.shoal.api.model.PortConfig(null, null, 80, 9090, null)))));
    h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(1));
    Service back = h.service(s.id());
    assertThat(back.updateStatus().state()).isEqualTo("rollback_completed");
    assertThat(back.endpoint().ports()).extracting(io.shoal.api.model.PortConfig::published).containsExactly(8080);
    assertThat(h.running(s.id())).hasSize(2).allSatisfy(t ->
        assertThat(t.endpoint().ports()).extracting(io.shoal.api.model.PortConfig::published).containsExactly(8080));
  }
}
