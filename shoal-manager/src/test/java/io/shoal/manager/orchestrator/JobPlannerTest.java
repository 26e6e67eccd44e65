package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.Harness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobPlannerTest {
  static ServiceSpec job(long maxConcurrent, long total) {
    return spec("job", 1).withMode(new ServiceMode(null, null, new ServiceMode.ReplicatedJob(maxConcurrent, total), null));
  }

  /** Completes every running task of the service; returns how many. */
  static int completeRunning(Harness h, Service s) {
    List<Task> r = h.tasks(s.id()).stream().filter(t -> t.state() == TaskState.RUNNING).toList();
    for (Task t : r) h.report(t.id(), TaskState.COMPLETE);
    return r.size();
  }

  @Test
  void replicatedJobRunsTotalCompletionsAtMostMaxConcurrentAtATime() {
    Harness h = new Harness(31).nodes(node("n1"), node("n2"));
    Service s = h.create(job(2, 5));
    int done = 0;
    for (int round = 0; round < 10 && done < 5; round++) {
      h.settle();
      long running = h.tasks(s.id()).stream().filter(t -> t.state() == TaskState.RUNNING).count();
      assertThat(running).isLessThanOrEqualTo(2);
      done += completeRunning(h, s);
    }
    h.settle();
    assertThat(done).isEqualTo(5);
    assertThat(h.tasks(s.id())).hasSize(5).allSatisfy(t -> {
      assertThat(t.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(t.desiredState()).isEqualTo(TaskState.COMPLETE);
    });
    assertThat(h.api.service(s.id(), true).serviceStatus().completedTasks()).isEqualTo(5);
  }

  @Test
  void failedJobTaskRetriesPerPolicyAndGivesUpForGood() {
    Harness h = new Harness(32).nodes(node("n1"));
    Service s = h.create(withRestart(job(1, 1), "on-failure", 0L, 1L, null));
    h.failOnStart = t -> true;
    h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(5));
    // the first run and one retry; then the slot is given up, not refilled by a new slot
    assertThat(h.tasks(s.id())).hasSize(2).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.FAILED));
  }

  @Test
  void jobWithRestartNoneIsNotRerunInANewSlot() {
    Harness h = new Harness(33).nodes(node("n1"));
    Service s = h.create(withRestart(job(1, 1), "none", 0L, null, null));
    h.failOnStart = t -> true;
    h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(5));
    assertThat(h.tasks(s.id())).hasSize(1);
  }

  @Test
  void globalJobRunsOnceOnEveryEligibleNode() {
    Harness h = new Harness(34).nodes(node("n1"), node("n2"), node("n3", Node.READY, Node.NodeSpec.DRAIN));
    Service s = h.create(spec("gj", 1).withMode(new ServiceMode(null, null, null, new ServiceMode.Global())));
    h.settle();
    assertThat(h.tasks(s.id())).extracting(Task::nodeID).containsExactlyInAnyOrder("n1", "n2");
    completeRunning(h, s);
    h.settleFor(Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(h.tasks(s.id())).hasSize(2).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETE));
    // failed on one node and given up: not run there again
    Harness g = new Harness(35).nodes(node("n1"));
    Service f = g.create(withRestart(spec("gj", 1).withMode(new ServiceMode(null, null, null, new ServiceMode.Global())), "none", 0L, null, null));
    g.failOnStart = t -> true;
    g.settleFor(Duration.ofSeconds(20), Duration.ofSeconds(5));
    assertThat(g.tasks(f.id())).hasSize(1);
  }

  @Test
  void updatingAJobStartsANewIteration() {
    Harness h = new Harness(36).nodes(node("n1"));
    Service s = h.create(job(1, 1));
    h.settle();
    completeRunning(h, s);
    h.settle();
    ServiceSpec next = job(1, 1).withTaskTemplate(taskSpec("busybox:2"));
    h.api.updateService(s.id(), h.service(s.id()).version().index(), next, false);
    h.settle();
    assertThat(h.tasks(s.id()).stream().filter(t -> t.state() == TaskState.RUNNING)).hasSize(1)
        .allSatisfy(t -> assertThat(t.jobIteration().index()).isEqualTo(1));
  }

  @Test
  void aJobTaskOnALostNodeIsRetriedOnAnotherNode() {
    Harness h = new Harness(37).nodes(node("n1"), node("n2"));
    Service s = h.create(withRestart(job(1, 1), "on-failure", 0L, null, null));
    h.settle();
    Task first = h.tasks(s.id()).get(0);
    String other = first.nodeID().equals("n1") ? "n2" : "n1";
    h.updateNode(first.nodeID(), n -> n.withStatus(new Node.Status(Node.DOWN, "heartbeat failure", null)));
    h.settle();
    Task retry = h.tasks(s.id()).stream().filter(t -> !t.id().equals(first.id())).findFirst().orElseThrow();
    assertThat(retry.nodeID()).isEqualTo(other);
    assertThat(retry.state()).isEqualTo(TaskState.RUNNING);
    h.report(retry.id(), TaskState.COMPLETE);
    h.settle();
    assertThat(h.api.service(s.id(), true).serviceStatus().completedTasks()).isEqualTo(1);
  }

  @Test
  void aFailedJobTaskIsRetriedWhereverThereIsRoom() {
    Harness h = new Harness(38).nodes(node("n1"), node("n2"));
    Service s = h.create(withRestart(job(1, 1), "on-failure", 0L, null, null));
    h.settle();
    Task first = h.tasks(s.id()).get(0);
    h.updateNode(first.nodeID(), n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.PAUSE)));
    h.report(first.id(), TaskState.FAILED);
    h.settle();
    assertThat(h.tasks(s.id()).stream().filter(t -> t.state() == TaskState.RUNNING)).singleElement()
        .satisfies(t -> assertThat(t.nodeID()).isNotEqualTo(first.nodeID()));
  }
}
