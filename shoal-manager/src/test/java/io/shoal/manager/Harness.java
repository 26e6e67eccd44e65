package io.shoal.manager;

import static org.assertj.core.api.Assertions.fail;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.orchestrator.Orchestrator;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.manager.scheduler.SchedulerCore;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The whole pipeline on one thread, for T1 scenario tests: the orchestrator's pure planning, the
 * allocator's NEW→PENDING step, the scheduler core and a simulated agent per node, each run as
 * one step over a real MemoryStore with a LocalProposer and a hand-moved clock. No threads.
 */
public final class Harness {
  public final Fx.MutableClock clock = new Fx.MutableClock(Fx.T0);
  public final MemoryStore store = new MemoryStore(clock);
  public final Orchestrator orchestrator;
  public final ControlApi api;
  /** Tasks the simulated agents fail instead of running (by predicate on the task). */
  public Predicate<Task> failOnStart = t -> false;

  public Harness(long seed) {
    store.setProposer(new LocalProposer(store));
    orchestrator = new Orchestrator(store, clock, new SplittableRandom(seed));
    api = new ControlApi(store, clock, new SplittableRandom(seed + 1));
    store.update(tx -> tx.create(new Cluster("c1", Version.ZERO, null, null, Cluster.SwarmSpec.defaults(), null, false,
        null, null, null, null, null)));
  }

  public Harness nodes(Node... nodes) {
    store.update(tx -> {
      for (Node n : nodes) tx.create(n);
    });
    return this;
  }

  public void updateNode(String id, java.util.function.UnaryOperator<Node> f) {
    store.update(tx -> tx.update(f.apply(tx.node(id))));
  }

  public Service create(ServiceSpec spec) {
    return api.createService(spec);
  }

  public Service service(String id) {
    return store.view(tx -> tx.service(id));
  }

  public List<Task> tasks(String serviceId) {
    List<Task> l = new ArrayList<>(store.view(tx -> tx.tasksOfService(serviceId)));
    l.sort(Comparator.comparingLong(Task::slot).thenComparing(Task::createdAt));
    return l;
  }

  public List<Task> running(String serviceId) {
    return tasks(serviceId).stream().filter(t -> t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING).toList();
  }

  /** One orchestrator round; returns how many writes it made. */
  public int orchestrate() {
    return PlanCommitter.commit(store, orchestrator.planFor(null, clock.instant()));
  }

  /** Allocator, scheduler and agents, one step each; returns how many writes they made. */
  public int workers() {
    int n = 0;
    // allocator
    n += PlanCommitter.commit(store, store.view(tx -> {
      Plan p = new Plan();
      for (Task t : tx.tasks()) {
        if (t.state() == TaskState.NEW && tx.service(t.serviceID()) != null) {
          p.update(t.withEndpoint(tx.service(t.serviceID()).endpoint())
              .withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", clock.instant())));
        }
      }
      return p;
    }));
    // scheduler
    n += PlanCommitter.commit(store, store.view(tx -> SchedulerCore.scheduleAll(tx.tasks(), tx.nodes(), clock.instant())));
    // agents: nodes that are down say nothing
    n += PlanCommitter.commit(store, store.view(tx -> {
      Plan p = new Plan();
      for (Task t : tx.tasks()) {
        Node node = t.nodeID() == null ? null : tx.node(t.nodeID());
        if (node == null || !node.isReady() || t.state().before(TaskState.ASSIGNED) || t.state().terminal()) continue;
        TaskState next = null;
        if (t.desiredState().compareTo(TaskState.RUNNING) > 0) next = TaskState.SHUTDOWN;
        else if (t.desiredState() == TaskState.READY && t.state().before(TaskState.READY)) next = TaskState.READY;
        else if (t.desiredState() == TaskState.RUNNING && t.state().before(TaskState.RUNNING)) {
          next = failOnStart.test(t) ? TaskState.FAILED : TaskState.RUNNING;
        }
        if (next != null) p.update(t.withStatus(TaskStatus.of(next, next.wire(), clock.instant())));
      }
      return p;
    }));
    return n;
  }

  /** Runs rounds until nothing changes (at most 200). */
  public void settle() {
    for (int i = 0; i < 200; i++) {
      int n = orchestrate();
      n += workers();
      if (n == 0) return;
    }
    fail("did not settle in 200 rounds: " + dump());
  }

  /** Settles, moving the clock by {@code step} between rounds, for {@code total}. */
  public void settleFor(Duration total, Duration step) {
    for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
      settle();
      clock.advance(step);
    }
    settle();
  }

  /** The agent reports {@code state} for the task (e.g. the container died). */
  public void report(String taskId, TaskState state) {
    store.update(tx -> tx.update(tx.task(taskId).withStatus(TaskStatus.of(state, state.wire(), clock.instant()))));
  }

  public long count(String serviceId, Predicate<Task> p) {
    return tasks(serviceId).stream().filter(p).count();
  }

  public static Set<Long> slots(List<Task> tasks) {
    java.util.TreeSet<Long> s = new java.util.TreeSet<>();
    for (Task t : tasks) s.add(t.slot());
    return s;
  }

  /** Tasks, one short line each, for failure messages. */
  public String dump() {
    StringBuilder b = new StringBuilder();
    for (Task t : all()) {
      b.append("\n  ").append(t.id(), 0, 6).append(" slot=").append(t.slot()).append(" node=").append(t.nodeID())
          .append(" state=").append(t.state()).append(" desired=").append(t.desiredState())
          .append(" err=").append(t.status().err()).append(" created=").append(t.createdAt());
    }
    return b.toString();
  }

  public List<Task> all() {
    return store.view(tx -> tx.<Task>all(StoreObject.Kind.TASK));
  }
}
