package io.shoal.manager.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.manager.allocator.Allocator;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.dispatcher.DispatcherService;
import io.shoal.manager.orchestrator.Orchestrator;
import io.shoal.manager.scheduler.Scheduler;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * T3: the leader's components running together on their own threads over one store, with test
 * agents talking to the dispatcher through the same contract a remote agent uses.
 */
class InProcessClusterTest {
  /** Short heartbeats so a silent node is DOWN in well under a second. */
  static final long HEARTBEAT_NANOS = 150_000_000L;
  static final Duration DEADLINE = Duration.ofSeconds(15);

  final Clock clock = Clock.systemUTC();
  final MemoryStore store = new MemoryStore(clock);
  final List<AutoCloseable> running = new ArrayList<>();
  final List<TestAgent> agents = new ArrayList<>();
  ControlApi api;

  void start(int nodes) {
    store.setProposer(new LocalProposer(store));
    Cluster.SwarmSpec spec = Cluster.SwarmSpec.defaults();
    Cluster.SwarmSpec fast = new Cluster.SwarmSpec(spec.name(), spec.labels(), spec.orchestration(), spec.raft(),
        new Cluster.Dispatcher(HEARTBEAT_NANOS), spec.caConfig(), null, null);
    store.update(tx -> tx.create(new Cluster("c1", Version.ZERO, null, null, fast, null, false, null, null, null, null, null)));
    DispatcherService dispatcher = new DispatcherService(store, clock, new SplittableRandom(1));
    running.add(dispatcher);
    for (int i = 1; i <= nodes; i++) {
      TestAgent a = new TestAgent("node" + i, dispatcher, clock).start();
      agents.add(a);
      running.add(a);
    }
    await().atMost(DEADLINE).until(() -> store.view(tx -> tx.nodes()).stream().filter(Node::isReady).count() == nodes);
    Orchestrator o = new Orchestrator(store, clock, new SplittableRandom(2));
    Allocator al = new Allocator(store, clock);
    Scheduler sc = new Scheduler(store, clock);
    o.start();
    al.start();
    sc.start();
    running.add(o);
    running.add(al);
    running.add(sc);
    api = new ControlApi(store, clock, new SplittableRandom(3));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) running.get(i).close();
  }

  static ServiceSpec web(long replicas) {
    // restart delay 100 ms: a failed task is replaced quickly, yet after a real delay
    TaskSpec t = TaskSpec.of(ContainerSpec.ofImage("busybox")).withRestartPolicy(new RestartPolicy("any", 100_000_000L, null, null));
    return new ServiceSpec("web", Map.of(), t, ServiceMode.replicas(replicas), null, null, null, null);
  }

  List<Task> tasks(String service) {
    return store.view(tx -> tx.tasksOfService(service));
  }

  List<Task> runningTasks(String service) {
    return tasks(service).stream().filter(t -> t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING).toList();
  }

  Service update(Service s, ServiceSpec spec) {
    return api.updateService(s.id(), api.service(s.id(), false).version().index(), spec, false);
  }

  void updateNode(String id, String availability) {
    Node n = api.node(id);
    api.updateNode(id, n.version().index(), n.spec().withAvailability(availability));
  }

  @Test
  void serviceConvergesScalesUpAndDown() {
    start(2);
    Service s = api.createService(web(3));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(3));
    assertThat(api.service(s.id(), true).serviceStatus().runningTasks()).isEqualTo(3);
    // spread over both nodes
    assertThat(runningTasks(s.id()).stream().map(Task::nodeID).distinct()).hasSize(2);
    // every task went through the agent's states, so the agent's view and the store agree
    for (Task t : runningTasks(s.id())) {
      TestAgent a = agents.stream().filter(x -> x.nodeId.equals(t.nodeID())).findFirst().orElseThrow();
      assertThat(a.stateOf(t.id())).isEqualTo(TaskState.RUNNING);
    }

    update(s, web(6));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(6)
        .extracting(Task::slot).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L));
    update(s, web(2));
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(runningTasks(s.id())).extracting(Task::slot).containsExactlyInAnyOrder(1L, 2L);
      assertThat(tasks(s.id())).hasSize(2); // removed slots stopped on their node and were deleted
    });
  }

  @Test
  void failedTaskIsReplacedAndKeptInHistory() {
    start(1);
    Service s = api.createService(web(3));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(3));
    Task victim = runningTasks(s.id()).get(0);
    agents.get(0).fail(victim.id());
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(runningTasks(s.id())).hasSize(3).extracting(Task::id).doesNotContain(victim.id());
      Task old = store.view(tx -> tx.task(victim.id()));
      assertThat(old.state()).isEqualTo(TaskState.FAILED);
      assertThat(old.status().err()).isEqualTo("task: non-zero exit (137)");
      assertThat(old.desiredState()).isEqualTo(TaskState.SHUTDOWN);
    });
    Task replacement = runningTasks(s.id()).stream().filter(t -> t.slot() == victim.slot()).findFirst().orElseThrow();
    assertThat(replacement.createdAt()).isAfter(victim.createdAt());
    assertThat(tasks(s.id())).hasSize(4);
  }

  @Test
  void drainedNodesTasksWaitWithAReasonAndRunAgainWhenActive() {
    start(1);
    Service s = api.createService(web(2));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(2));
    updateNode("node1", Node.NodeSpec.DRAIN);
    await().atMost(DEADLINE).untilAsserted(() -> {
      List<Task> wanted = tasks(s.id()).stream().filter(t -> t.desiredState().compareTo(TaskState.RUNNING) <= 0).toList();
      assertThat(wanted).hasSize(2).allSatisfy(t -> {
        assertThat(t.state()).isEqualTo(TaskState.PENDING);
        assertThat(t.status().err()).isEqualTo("no suitable node (1 node not available for new tasks)");
      });
      // the old ones were stopped by the agent
      assertThat(tasks(s.id()).stream().filter(t -> t.state() == TaskState.SHUTDOWN)).hasSize(2);
    });
    updateNode("node1", Node.NodeSpec.ACTIVE);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(2));
  }

  @Test
  void silentNodeGoesDownAndItsTasksMove() {
    start(2);
    Service s = api.createService(web(4));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(4));
    TestAgent silent = agents.get(1);
    silent.stopHeartbeats();
    await().atMost(DEADLINE).untilAsserted(() -> {
      Node n = api.node(silent.nodeId);
      assertThat(n.status().state()).isEqualTo(Node.DOWN);
      assertThat(n.status().message()).isEqualTo("heartbeat failure");
    });
    assertThat(api.node("node1").status().state()).isEqualTo(Node.READY);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(4)
        .allSatisfy(t -> assertThat(t.nodeID()).isEqualTo("node1")));
  }

  @Test
  void removedServiceLeavesNoTask() {
    start(2);
    Service s = api.createService(web(3));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(3));
    List<String> ids = tasks(s.id()).stream().map(Task::id).toList();
    api.removeService("web");
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(store.<List<Task>>view(tx -> tx.tasks())).isEmpty());
    // and every agent stopped its tasks before they were deleted
    for (String id : ids) {
      assertThat(agents.stream().map(a -> a.stateOf(id)).filter(x -> x != null)).containsExactly(TaskState.SHUTDOWN);
    }
  }

  @Test
  void rollingUpdateReplacesEveryTaskAndCompletes() {
    start(2);
    io.shoal.api.model.UpdateConfig u = new io.shoal.api.model.UpdateConfig(1L, 0L, "pause", 100_000_000L, 0.0, "stop-first");
    Service s = api.createService(web(3).withUpdateConfig(u));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).hasSize(3));
    ServiceSpec next = web(3).withUpdateConfig(u);
    next = next.withTaskTemplate(next.taskTemplate().withContainerSpec(next.taskTemplate().containerSpec().withEnv(List.of("A=1"))));
    update(s, next);
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(runningTasks(s.id())).hasSize(3)
          .allSatisfy(t -> assertThat(t.spec().containerSpec().env()).containsExactly("A=1"));
      assertThat(api.service(s.id(), false).updateStatus().state()).isEqualTo("completed");
    });
    assertThat(tasks(s.id())).hasSize(6); // the old tasks are history
  }

  @Test
  void globalServiceRunsOneTaskPerNode() {
    start(2);
    ServiceSpec g = web(1).withMode(ServiceMode.globalMode());
    Service s = api.createService(g);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).extracting(Task::nodeID)
        .containsExactlyInAnyOrder("node1", "node2"));
    updateNode("node2", Node.NodeSpec.DRAIN);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runningTasks(s.id())).extracting(Task::nodeID)
        .containsExactly("node1"));
  }
}
