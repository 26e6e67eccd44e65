package io.shoal.manager.dispatcher;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The manager's side of the agent contract, with the dispatcher's own threads. */
class DispatcherServiceTest {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  final MemoryStore store = new MemoryStore(Clock.systemUTC());
  final DispatcherService d;
  final Service svc = service("s1", spec("web", 1));

  DispatcherServiceTest() {
    store.setProposer(new LocalProposer(store));
    d = new DispatcherService(store, Clock.systemUTC(), new SplittableRandom(5));
  }

  @AfterEach
  void close() {
    d.close();
  }

  Dispatcher.Session register(String node) {
    return d.register(node, new Node.Description("host-" + node, null, null, null, null), "10.0.0.9");
  }

  /** Collects what a subscription receives, applied as an agent would. */
  static final class Collector implements Dispatcher.AssignmentListener {
    final List<Assignments> received = new CopyOnWriteArrayList<>();
    final Map<String, Task> view = new ConcurrentHashMap<>();
    volatile Throwable closed;

    public void onAssignments(Assignments a) {
      received.add(a);
      if (a.full()) view.clear();
      a.tasks().forEach(t -> view.put(t.id(), t));
      a.removedTasks().forEach(view::remove);
    }

    public void onClosed(Throwable cause) {
      closed = cause;
    }
  }

  @Test
  void aNewDispatcherMarksNodesUnknownUntilTheyRegisterAgain() {
    // what a predecessor (old leader, or this manager before a restart) left in the store
    MemoryStore prior = new MemoryStore(Clock.systemUTC());
    prior.setProposer(new LocalProposer(prior));
    prior.update(tx -> {
      tx.create(node("a", Node.READY, Node.NodeSpec.ACTIVE));
      tx.create(node("b", Node.DOWN, Node.NodeSpec.ACTIVE));
    });
    long before = prior.view(tx -> tx.node("a")).version().index();
    try (DispatcherService fresh = new DispatcherService(prior, Clock.systemUTC(), new SplittableRandom(6))) {
      Node a = prior.view(tx -> tx.node("a"));
      assertThat(a.status().state()).isEqualTo(Node.UNKNOWN);
      assertThat(a.status().message()).isEqualTo(DispatcherService.UNKNOWN_MESSAGE);
      assertThat(prior.view(tx -> tx.node("b")).status().state()).isEqualTo(Node.DOWN);
      fresh.register("a", new Node.Description("host-a", null, null, null, null), "10.0.0.9");
      Node back = prior.view(tx -> tx.node("a"));
      assertThat(back.status().state()).isEqualTo(Node.READY);
      assertThat(back.version().index()).isGreaterThan(before);
    }
  }

  @Test
  void nodesSilentSinceTheLeaderChangedGoDownButAFreshJoinerWaitsForItsFirstSession() {
    MutableClock clock = new MutableClock(T0);
    MemoryStore st = new MemoryStore(clock);
    st.setProposer(new LocalProposer(st));
    st.update(tx -> tx.create(node("old", Node.READY, Node.NodeSpec.ACTIVE)));
    try (DispatcherService fresh = new DispatcherService(st, clock, new SplittableRandom(8))) {
      // joined after this leader started: the join handler writes it UNKNOWN
      st.update(tx -> tx.create(node("joiner", Node.UNKNOWN, Node.NodeSpec.ACTIVE)));
      clock.advance(Duration.ofSeconds(16)); // past 3 x the default 5 s period
      await().atMost(DEADLINE).until(() -> Node.DOWN.equals(st.view(tx -> tx.node("old")).status().state()));
      long seen = fresh.sweeps();
      await().atMost(DEADLINE).until(() -> fresh.sweeps() >= seen + 2);
      assertThat(st.view(tx -> tx.node("joiner")).status().state()).isEqualTo(Node.UNKNOWN);
    }
  }

  @Test
  void aSessionsDeadlineFollowsThePeriodItWasToldNotTheNewSetting() {
    MutableClock clock = new MutableClock(T0);
    MemoryStore st = new MemoryStore(clock);
    st.setProposer(new LocalProposer(st));
    st.update(tx -> tx.create(new io.shoal.api.model.Cluster("c1", null, null, null,
        io.shoal.api.model.Cluster.SwarmSpec.defaults(), null, false, null, null, null, null, null)));
    try (DispatcherService fresh = new DispatcherService(st, clock, new SplittableRandom(7))) {
      Dispatcher.Session s = fresh.register("a", new Node.Description("host-a", null, null, null, null), "10.0.0.9");
      assertThat(s.heartbeatPeriodMillis()).isEqualTo(5000);
      // swarm update --dispatcher-heartbeat 1s: the agent keeps its 5 s pace until its next answer
      st.update(tx -> tx.update(tx.cluster().withSpec(withHeartbeat(tx.cluster().spec(), 1_000_000_000L))));
      clock.advance(Duration.ofSeconds(4));
      long seen = fresh.sweeps();
      await().atMost(DEADLINE).until(() -> fresh.sweeps() >= seen + 2);
      assertThat(st.view(tx -> tx.node("a")).isReady()).as("4 s after a beat at a 5 s pace").isTrue();
      // its next answer tells it 1 s; 3 missed 1 s beats later it is down
      assertThat(fresh.heartbeat("a", s.sessionId())).isEqualTo(1000);
      clock.advance(Duration.ofMillis(3500));
      await().atMost(DEADLINE).until(() -> Node.DOWN.equals(st.view(tx -> tx.node("a")).status().state()));
    }
  }

  static io.shoal.api.model.Cluster.SwarmSpec withHeartbeat(io.shoal.api.model.Cluster.SwarmSpec d, long nanos) {
    return new io.shoal.api.model.Cluster.SwarmSpec(d.name(), d.labels(), d.orchestration(), d.raft(),
        new io.shoal.api.model.Cluster.Dispatcher(nanos), d.caConfig(), d.encryptionConfig(), d.taskDefaults());
  }

  @Test
  void unknownSessionsAreRefused() {
    assertThatThrownBy(() -> d.heartbeat("n1", "nope")).isInstanceOf(Dispatcher.SessionExpired.class);
    assertThatThrownBy(() -> d.updateTaskStatus("n1", "nope", List.of())).isInstanceOf(Dispatcher.SessionExpired.class);
    assertThatThrownBy(() -> d.assignments("n1", "nope", a -> {})).isInstanceOf(Dispatcher.SessionExpired.class);
    Dispatcher.Session s = register("n1");
    assertThatThrownBy(() -> d.heartbeat("n2", s.sessionId())).isInstanceOf(Dispatcher.SessionExpired.class);
    assertThat(d.heartbeat("n1", s.sessionId())).isEqualTo(5000);
  }

  @Test
  void registerRecordsTheNodeAndANewSessionReplacesTheOld() throws Exception {
    Dispatcher.Session first = register("n1");
    Node n = store.view(tx -> tx.node("n1"));
    assertThat(n.isReady()).isTrue();
    assertThat(n.status().addr()).isEqualTo("10.0.0.9");
    assertThat(n.spec().role()).isEqualTo("worker");
    assertThat(n.hostname()).isEqualTo("host-n1");
    Collector c = new Collector();
    d.assignments("n1", first.sessionId(), c);
    Dispatcher.Session second = register("n1");
    assertThat(second.sessionId()).isNotEqualTo(first.sessionId());
    assertThat(c.closed).isInstanceOf(Dispatcher.SessionExpired.class);
    assertThatThrownBy(() -> d.heartbeat("n1", first.sessionId())).isInstanceOf(Dispatcher.SessionExpired.class);
  }

  @Test
  void fullSetThenIncrementsOfThisNodeOnly() {
    Dispatcher.Session s = register("n1");
    Task mine = task("t1", svc, 1, "n1", TaskState.ASSIGNED, TaskState.RUNNING, T0);
    Task pending = task("t2", svc, 2, null, TaskState.PENDING, TaskState.RUNNING, T0);
    Task other = task("t3", svc, 3, "n2", TaskState.ASSIGNED, TaskState.RUNNING, T0);
    store.update(tx -> {
      tx.create(mine);
      tx.create(pending);
      tx.create(other);
    });
    Collector c = new Collector();
    d.assignments("n1", s.sessionId(), c);
    assertThat(c.received.get(0).full()).isTrue();
    assertThat(c.view.keySet()).containsExactly("t1");

    // t2 is placed here; t1 is asked to stop; t3 changes elsewhere
    store.update(tx -> {
      tx.update(tx.task("t2").withNode("n1").withStatus(TaskStatus.of(TaskState.ASSIGNED, "assigned", T0)));
      tx.update(tx.task("t1").withDesiredState(TaskState.SHUTDOWN));
      tx.update(tx.task("t3").withDesiredState(TaskState.SHUTDOWN));
    });
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(c.view.keySet()).containsExactlyInAnyOrder("t1", "t2");
      assertThat(c.view.get("t1").desiredState()).isEqualTo(TaskState.SHUTDOWN);
    });
    assertThat(c.received).allSatisfy(a -> assertThat(a.tasks()).extracting(Task::id).doesNotContain("t3"));
    store.update(tx -> tx.delete(StoreObject.Kind.TASK, "t1"));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(c.view.keySet()).containsExactly("t2"));
    // no increment is older than what the subscriber already had
    long fullIndex = c.received.get(0).tasks().get(0).version().index();
    for (Assignments a : c.received.subList(1, c.received.size())) {
      assertThat(a.tasks()).allSatisfy(t -> assertThat(t.version().index()).isGreaterThan(fullIndex));
    }
  }

  @Test
  void statusReportsGoForwardAndOnlyForTheReportersTasks() {
    Dispatcher.Session s1 = register("n1");
    Dispatcher.Session s2 = register("n2");
    store.update(tx -> tx.create(task("t1", svc, 1, "n1", TaskState.ASSIGNED, TaskState.RUNNING, T0)));
    // another node cannot report on t1
    d.updateTaskStatus("n2", s2.sessionId(), List.of(new TaskStatusUpdate("t1", TaskStatus.of(TaskState.FAILED, "x", T0))));
    d.updateTaskStatus("n1", s1.sessionId(), List.of(new TaskStatusUpdate("t1", TaskStatus.of(TaskState.RUNNING, "started", T0))));
    await().atMost(DEADLINE).until(() -> store.view(tx -> tx.task("t1").state()) == TaskState.RUNNING);
    // a late, older report never moves it back
    d.updateTaskStatus("n1", s1.sessionId(), List.of(new TaskStatusUpdate("t1", TaskStatus.of(TaskState.STARTING, "late", T0)),
        new TaskStatusUpdate("unknown", TaskStatus.of(TaskState.RUNNING, "?", T0))));
    d.updateTaskStatus("n1", s1.sessionId(), List.of(new TaskStatusUpdate("t1", TaskStatus.of(TaskState.COMPLETE, "exit 0", T0))));
    await().atMost(DEADLINE).until(() -> store.view(tx -> tx.task("t1").state()) == TaskState.COMPLETE);
    assertThat((Object) store.view(tx -> tx.task("unknown"))).isNull();
  }
}
