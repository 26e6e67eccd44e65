package io.shoal.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.Fixtures;
import io.shoal.cli.TestCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** T1: progress evaluation, rendering, and the wait loop on a fake clock. */
class ProgressTest {
  private static final String FULL = "[" + "=".repeat(50) + ">] ";
  private static final Service WEB = Fixtures.services().get(0).withServiceStatus(null);
  private static final String SID = WEB.id();

  static Task task(String id, long slot, TaskState state, TaskState desired, long version, String err) {
    return new Task(id, new Version(version), null, null, null, null, WEB.spec().taskTemplate(), SID, slot,
        "node1", new TaskStatus(Instant.EPOCH, state, "", err, null, null), desired, null, null, null);
  }

  static Task running(long slot) {
    return task("t" + slot, slot, TaskState.RUNNING, TaskState.RUNNING, 10 + slot, null);
  }

  @Test
  void linesLikeDockers() {
    Progress.Frame f = Progress.evaluate(WEB, List.of(running(1),
        task("t2", 2, TaskState.PREPARING, TaskState.RUNNING, 5, null),
        task("t3", 3, TaskState.REJECTED, TaskState.SHUTDOWN, 6, "No such image: nope:1")), false);
    assertThat(f.lines()).containsExactly(
        "overall progress: 1 out of 3 tasks ",
        "1/3: running   " + FULL,
        "2/3: preparing [" + "=".repeat(33) + ">" + " ".repeat(17) + "] ",
        "3/3: No such image: nope:1");
    assertThat(f.converged()).isFalse();
  }

  @Test
  void newestActiveTaskOfASlotIsShown() {
    Progress.Frame f = Progress.evaluate(WEB.withSpec(WEB.spec().withMode(ServiceMode.replicas(1)), null), List.of(
        task("old", 1, TaskState.SHUTDOWN, TaskState.SHUTDOWN, 20, null),
        task("new", 1, TaskState.STARTING, TaskState.RUNNING, 21, null)), false);
    assertThat(f.lines().get(1)).startsWith("1/1: starting  [");
  }

  @Test
  void convergedWhenEverySlotRuns() {
    Progress.Frame f = Progress.evaluate(WEB, List.of(running(1), running(2), running(3)), false);
    assertThat(f.converged()).isTrue();
    assertThat(f.lines().get(0)).isEqualTo("overall progress: 3 out of 3 tasks ");
  }

  @Test
  void afterUpdateOldSpecTasksDoNotCount() {
    Service updated = WEB.withSpec(WEB.spec().withTaskTemplate(WEB.spec().taskTemplate()
        .withContainerSpec(WEB.spec().taskTemplate().containerSpec().withImage("busybox:2"))), WEB.spec());
    List<Task> old = List.of(running(1), running(2), running(3));
    assertThat(Progress.evaluate(updated, old, true).converged()).isFalse();
    assertThat(Progress.evaluate(updated, old, false).converged()).isTrue();
  }

  @Test
  void pausedUpdateIsAFailure() {
    Service paused = WEB.withUpdateStatus(new Service.UpdateStatus("paused", null, null, "task t2 failed"));
    assertThat(Progress.evaluate(paused, List.of(), true).failure()).isEqualTo("update paused: task t2 failed");
  }

  @Test
  void aCompletedRollbackIsSuccessOnlyWhenAskedFor() {
    Service rolled = WEB.withUpdateStatus(new Service.UpdateStatus("rollback_completed", null, null, "rollback completed"));
    List<Task> all = List.of(running(1), running(2), running(3));
    assertThat(Progress.evaluate(rolled, all, false).failure()).isEqualTo("service rolled back: rollback completed");
    assertThat(Progress.evaluate(rolled, all, false, true).converged()).isTrue();
  }

  @Test
  void globalServiceCountsNodes() {
    Service agent = Fixtures.services().get(1).withServiceStatus(new Service.ServiceStatus(0, 2, 0));
    Task a = new Task("g1", new Version(1), null, null, null, null, null, agent.id(), 0, "nodeaaaaaaaaaaaaaaa",
        new TaskStatus(Instant.EPOCH, TaskState.RUNNING, "", null, null, null), TaskState.RUNNING, null, null, null);
    Progress.Frame f = Progress.evaluate(agent, List.of(a), false);
    assertThat(f.lines()).containsExactly("overall progress: 1 out of 2 tasks ", "nodeaaaaaaaa: running   " + FULL);
    assertThat(f.converged()).isFalse();
  }

  @Test
  void plainViewPrintsChangesWithoutBars() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressView v = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false);
    v.show(List.of("overall progress: 0 out of 1 tasks ", "1/1: preparing [====>   ] "));
    v.show(List.of("overall progress: 0 out of 1 tasks ", "1/1: preparing [=====>  ] "));
    v.show(List.of("overall progress: 1 out of 1 tasks ", "1/1: running   [=======>] "));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "overall progress: 0 out of 1 tasks\n1/1: preparing\noverall progress: 1 out of 1 tasks\n1/1: running\n");
  }

  @Test
  void terminalViewRedrawsInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressView v = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, false);
    v.show(List.of("a", "b"));
    v.show(List.of("c", "d", "e"));
    v.show(List.of("f"));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "\r\u001b[2Ka\n\r\u001b[2Kb\n"
      + "\u001b[2A\r\u001b[2Kc\n\r\u001b[2Kd\n\r\u001b[2Ke\n"
      + "\u001b[3A\r\u001b[2Kf\n\r\u001b[2K\n\r\u001b[2K\n\u001b[2A");
  }

  /** Polls come from a script; the sleeper advances the fake clock. */
  private static ConvergenceWaiter.Source script(Deque<List<Task>> polls, Service service) {
    return () -> new ConvergenceWaiter.Poll(service, polls.size() > 1 ? polls.poll() : polls.peek());
  }

  @Test
  void waitsThroughTheMonitorPeriodThenReportsConverged() throws Exception {
    TestCli t = new TestCli(null, false);
    List<Duration> sleeps = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConvergenceWaiter w = new ConvergenceWaiter(t.clock, d -> { sleeps.add(d); t.clock.advance(d); },
        Duration.ofSeconds(1), Duration.ofMinutes(1), new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false));
    Deque<List<Task>> polls = new ArrayDeque<>();
    polls.add(List.of());
    polls.add(List.of(running(1), task("t2", 2, TaskState.PENDING, TaskState.RUNNING, 5, null)));
    polls.add(List.of(running(1), running(2), running(3)));
    w.await(script(polls, WEB), false);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("overall progress: 0 out of 3 tasks\n1/3:\n2/3:\n3/3:\n")
        .contains("overall progress: 1 out of 3 tasks\n1/3: running\n2/3: pending\n")
        .contains("verify: Waiting 5 seconds to verify that tasks are stable...\n")
        .doesNotContain("Waiting 4 seconds")
        .endsWith("verify: Service converged\n");
    // 2 polls before convergence + 5 one-second polls of the monitor period
    assertThat(sleeps).hasSize(7);
  }

  @Test
  void terminalShowsTheCountdown() throws Exception {
    TestCli t = new TestCli(null, true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConvergenceWaiter w = new ConvergenceWaiter(t.clock, t.clock::advance, Duration.ofSeconds(1),
        Duration.ofMinutes(1), new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, false));
    Deque<List<Task>> polls = new ArrayDeque<>(List.of(List.of(running(1), running(2), running(3))));
    w.await(script(polls, WEB), false);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("\r\u001b[2Kverify: Waiting 1 second to verify that tasks are stable... \n")
        .contains("\u001b[5A").endsWith("\r\u001b[2Kverify: Service converged \n");
  }

  @Test
  void aReplacementKeepsShowingThePreviousError() {
    Service one = WEB.withSpec(WEB.spec().withMode(ServiceMode.replicas(1)), null);
    List<Task> tasks = List.of(
        task("r1", 1, TaskState.REJECTED, TaskState.SHUTDOWN, 20, "No such image: nope:1"),
        task("r2", 1, TaskState.PENDING, TaskState.RUNNING, 21, null));
    assertThat(Progress.evaluate(one, tasks, false).lines().get(1)).isEqualTo("1/1: No such image: nope:1");
    List<Task> recovered = List.of(tasks.get(0), task("r2", 1, TaskState.RUNNING, TaskState.RUNNING, 22, null));
    assertThat(Progress.evaluate(one, recovered, false).lines().get(1)).startsWith("1/1: running   [");
  }

  @Test
  void aTaskFailingDuringMonitorRestartsTheWait() throws Exception {
    TestCli t = new TestCli(null, false);
    ConvergenceWaiter w = new ConvergenceWaiter(t.clock, t.clock::advance, Duration.ofSeconds(2),
        Duration.ofMinutes(1), new ProgressView(new PrintStream(new ByteArrayOutputStream()), false, true));
    Deque<List<Task>> polls = new ArrayDeque<>();
    List<Task> all = List.of(running(1), running(2), running(3));
    polls.add(all);
    polls.add(List.of(running(1), running(2), task("t3", 3, TaskState.FAILED, TaskState.SHUTDOWN, 30, "boom")));
    polls.add(all);
    Instant start = t.clock.instant();
    w.await(script(polls, WEB), false);
    // converged at 0s, lost at 2s, again at 4s, stable 5s later: done at 10s (next poll after 9s)
    assertThat(Duration.between(start, t.clock.instant())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void deadlineEndsTheWait() {
    TestCli t = new TestCli(null, false);
    ConvergenceWaiter w = new ConvergenceWaiter(t.clock, t.clock::advance, Duration.ofSeconds(1),
        Duration.ofSeconds(3), new ProgressView(new PrintStream(new ByteArrayOutputStream()), false, true));
    Deque<List<Task>> polls = new ArrayDeque<>();
    polls.add(List.of());
    assertThatThrownBy(() -> w.await(script(polls, WEB), false)).isInstanceOf(CommandFailure.class)
        .hasMessageContaining("timed out after 3s waiting for service web to converge");
  }

  @Test
  void jobsEndWhenCompletionsAreDone() throws Exception {
    Service job = Fixtures.services().get(2).withServiceStatus(null);
    TestCli t = new TestCli(null, false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConvergenceWaiter w = new ConvergenceWaiter(t.clock, t.clock::advance, Duration.ofSeconds(1),
        Duration.ofSeconds(30), new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false));
    List<Task> done = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      done.add(new Task("j" + i, new Version(i), null, null, null, null, null, job.id(), i, "n",
          new TaskStatus(Instant.EPOCH, TaskState.COMPLETE, "", null, null, null), TaskState.COMPLETE, null, null, null));
    }
    Deque<List<Task>> polls = new ArrayDeque<>(List.of(done.subList(0, 2), done));
    w.await(script(polls, job), false);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "overall progress: 2 out of 5 tasks\noverall progress: 5 out of 5 tasks\njob complete\n");
  }
}
