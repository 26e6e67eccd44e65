package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.daemon.swarm.AgentRuntime;
import io.shoal.daemon.swarm.ManagerRuntime;
import io.shoal.daemon.swarm.NodeRuntime;
import io.shoal.manager.dispatcher.DispatcherService;
import io.shoal.raft.RaftNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gauges over what a node already holds, read when Prometheus scrapes: raft (term, indexes, apply
 * lag, leadership), store (index, queued writes, watchers and their backlog), dispatcher sessions,
 * and — from one read of the store per scrape, see {@link #refresh} — nodes by state, tasks by
 * service and state, desired tasks per service and pending tasks by the scheduler's reason; the
 * agent's tasks by state. A gauge with nothing to read (a worker has no raft) is NaN.
 *
 * <p>Labels stay few: service names, states, roles and reasons; never task, node or container ids.
 * Threading: {@link #refresh} is called by the scrape (one at a time); gauges read volatile state.
 */
public final class NodeMetrics implements MeterBinder {
  private final Supplier<NodeRuntime> node;
  private MultiGauge nodes;
  private MultiGauge serviceTasks;
  private MultiGauge desired;
  private MultiGauge pending;
  private MultiGauge agentTasks;

  public NodeMetrics(Supplier<NodeRuntime> node) {
    this.node = node;
  }

  private ManagerRuntime manager() {
    NodeRuntime n = node.get();
    return n == null ? null : n.manager();
  }

  private double raft(ToDoubleFunction<RaftNode> f) {
    ManagerRuntime m = manager();
    return m == null ? Double.NaN : f.applyAsDouble(m.raft());
  }

  private double store(ToDoubleFunction<io.shoal.store.MemoryStore> f) {
    ManagerRuntime m = manager();
    return m == null ? Double.NaN : f.applyAsDouble(m.store());
  }

  private void gauge(MeterRegistry r, String name, String help, String unit, Supplier<Double> value) {
    Gauge.builder(name, value).description(help).baseUnit(unit).strongReference(true).register(r);
  }

  @Override
  public void bindTo(MeterRegistry r) {
    gauge(r, "shoal.raft.term", "Current raft term", null, () -> raft(RaftNode::currentTerm));
    gauge(r, "shoal.raft.commit.index", "Highest raft index known committed", null, () -> raft(RaftNode::commitIndex));
    gauge(r, "shoal.raft.applied.index", "Raft index applied to this manager's store", null, () -> raft(RaftNode::appliedIndex));
    gauge(r, "shoal.raft.apply.lag", "Committed raft entries not yet applied here", "entries",
        () -> raft(x -> Math.max(0, x.commitIndex() - x.appliedIndex())));
    gauge(r, "shoal.raft.leader", "1 if this manager is the raft leader", null, () -> raft(x -> x.isLeader() ? 1 : 0));
    gauge(r, "shoal.raft.members", "Managers in the raft configuration", null, () -> raft(x -> x.members().size()));
    FunctionCounter.builder("shoal.raft.leader.changes", this, x -> raft(RaftNode::leaderChanges))
        .description("Leader changes this manager has seen since it started").register(r);
    gauge(r, "shoal.store.index", "Last raft index reflected in the store", null, () -> store(io.shoal.store.MemoryStore::index));
    gauge(r, "shoal.store.pending.writes", "Store writes waiting for a group commit", null, () -> store(s -> s.pendingWrites()));
    gauge(r, "shoal.store.watchers", "Store watch subscriptions", null, () -> store(s -> s.watchCount()));
    gauge(r, "shoal.store.watch.queue.depth", "Undelivered events of the slowest store watcher", "events", () -> store(s -> s.watchBacklog()));
    gauge(r, "shoal.dispatcher.sessions", "Nodes with a live dispatcher session (leader only)", null, () -> {
      ManagerRuntime m = manager();
      if (m == null) return Double.NaN;
      return m.dispatcher() instanceof DispatcherService d ? (double) d.sessionCount() : 0.0;
    });
    gauge(r, "shoal.agent.connected", "1 if this node's agent has a session with the dispatcher", null, () -> {
      NodeRuntime n = node.get();
      return n == null ? 0.0 : n.agent().agent().connected() ? 1.0 : 0.0;
    });
    nodes = MultiGauge.builder("shoal.dispatcher.nodes").description("Nodes by state, role and availability").register(r);
    serviceTasks = MultiGauge.builder("shoal.orchestrator.tasks").description("Tasks in the store by service and state (history included)").register(r);
    desired = MultiGauge.builder("shoal.orchestrator.desired.tasks").description("Tasks each service asks for (replicas; global: eligible nodes)").register(r);
    pending = MultiGauge.builder("shoal.scheduler.pending.tasks").description("Tasks waiting for a node, by the scheduler's reason").register(r);
    agentTasks = MultiGauge.builder("shoal.agent.tasks").description("Tasks this node's agent runs, by state").register(r);
  }

  /** Re-reads the counts behind the labelled gauges (one store read); call before each scrape. */
  public void refresh() {
    ManagerRuntime m = manager();
    Counts c = new Counts(Map.of(), Map.of(), Map.of(), Map.of());
    if (m != null) {
      // copy inside the read, count outside it: raft's apply waits for readers
      Read read = m.store().view(tx -> new Read(tx.nodes(), tx.services(), tx.tasks()));
      c = count(read.nodes(), read.services(), read.tasks());
    }
    nodes.register(rows(c.nodes()), true);
    serviceTasks.register(rows(c.serviceTasks()), true);
    desired.register(rows(c.desired()), true);
    pending.register(rows(c.pending()), true);
    NodeRuntime n = node.get();
    Map<Tags, Long> agent = new HashMap<>();
    if (n != null) {
      AgentRuntime a = n.agent();
      for (Task t : a.agent().tasks()) agent.merge(Tags.of("state", state(t)), 1L, Long::sum);
    }
    agentTasks.register(rows(agent), true);
  }

  private record Read(List<Node> nodes, List<Service> services, List<Task> tasks) {}

  /** The counts behind the labelled gauges, from one consistent read. */
  record Counts(Map<Tags, Long> nodes, Map<Tags, Long> serviceTasks, Map<Tags, Long> desired, Map<Tags, Long> pending) {}

  static Counts count(List<Node> nodeList, List<Service> services, List<Task> tasks) {
    Map<Tags, Long> nodes = new HashMap<>();
    for (Node n : nodeList) {
      String st = n.status() == null || n.status().state() == null ? Node.UNKNOWN : n.status().state();
      nodes.merge(Tags.of("state", st, "role", String.valueOf(n.spec().role()), "availability",
          String.valueOf(n.spec().availabilityOrActive())), 1L, Long::sum);
    }
    Map<String, String> names = new HashMap<>();
    Map<Tags, Long> desired = new HashMap<>();
    for (Service s : services) {
      names.put(s.id(), s.spec().name());
      long want;
      if (s.spec().mode() != null && s.spec().mode().isGlobal()) {
        want = nodeList.stream().filter(n -> n.isReady() && "active".equals(n.spec().availabilityOrActive())).count();
      } else {
        want = s.spec().mode() == null ? 1 : s.spec().mode().replicaCount();
      }
      desired.put(Tags.of("service", s.spec().name()), want);
    }
    Map<Tags, Long> byService = new HashMap<>();
    Map<Tags, Long> pending = new HashMap<>();
    for (Task t : tasks) {
      String service = names.getOrDefault(t.serviceID(), "(removed)");
      byService.merge(Tags.of("service", service, "state", state(t)), 1L, Long::sum);
      if (t.state() == TaskState.PENDING && t.desiredState() != null && t.desiredState().compareTo(TaskState.RUNNING) <= 0) {
        pending.merge(Tags.of("reason", pendingReason(t)), 1L, Long::sum);
      }
    }
    return new Counts(nodes, byService, desired, pending);
  }

  private static String state(Task t) {
    return t.state() == null ? "new" : t.state().wire();
  }

  /**
   * The scheduler's first explanation of a PENDING task, as a short label: its message names the
   * filters that failed ("no suitable node (2 nodes not available for new tasks; insufficient
   * resources on 1 node)"); a task not yet tried is "unscheduled".
   */
  static String pendingReason(Task t) {
    String m = t.status() == null ? null : (t.status().err() != null ? t.status().err() : t.status().message());
    if (m == null || !m.contains("no suitable node")) return "unscheduled";
    int best = Integer.MAX_VALUE;
    String reason = "other";
    String[][] keys = {{"not available", "node_unavailable"}, {"insufficient resources", "resources"},
        {"constraints", "constraints"}, {"port already in use", "host_port"}, {"max replicas", "max_replicas"},
        {"no node", "no_nodes"}};
    for (String[] k : keys) {
      int at = m.indexOf(k[0]);
      if (at >= 0 && at < best) {
        best = at;
        reason = k[1];
      }
    }
    return reason;
  }

  private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> counts) {
    List<MultiGauge.Row<?>> out = new ArrayList<>(counts.size());
    counts.forEach((tags, v) -> out.add(MultiGauge.Row.of(tags, v)));
    return out;
  }
}
