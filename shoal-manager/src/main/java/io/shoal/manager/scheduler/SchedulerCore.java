package io.shoal.manager.scheduler;

import io.shoal.api.model.Node;
import io.shoal.api.model.Placement;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.validation.Constraint;
import io.shoal.manager.orchestrator.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places pending tasks on nodes, pure: each task goes through the filter pipeline (ready,
 * resources, constraints, host ports, max replicas per node), then the placement preferences
 * spread it over label values, then it goes to the node with the fewest tasks of its service
 * (fewest tasks overall, then node id, as tie-breakers: deterministic).
 *
 * <p>A task no node can take stays PENDING with {@code Err} "no suitable node (...)", built from the
 * filters' explanations of how many nodes failed each one — the message {@code service ps} shows.
 */
public final class SchedulerCore {
  public static final String ASSIGNED_MESSAGE = "scheduler assigned task to node";

  private SchedulerCore() {}

  /**
   * One scheduling round over every task: places the PENDING tasks still wanted against what the
   * nodes hold (tasks ASSIGNED..RUNNING still wanted). The leader's scheduler, the simulation and
   * the manager test harness all schedule through this.
   */
  public static Plan scheduleAll(List<Task> tasks, List<Node> nodes, Instant now) {
    List<Task> pending = new ArrayList<>();
    List<Task> placed = new ArrayList<>();
    for (Task t : tasks) {
      boolean wanted = t.desiredState().compareTo(TaskState.RUNNING) <= 0;
      if (t.state() == TaskState.PENDING && wanted) pending.add(t);
      else if (wanted && t.state().atLeast(TaskState.ASSIGNED) && !t.state().terminal()) placed.add(t);
    }
    return pending.isEmpty() ? new Plan() : schedule(pending, nodes, placed, now);
  }

  /**
   * @param pending tasks in state PENDING, desired READY or RUNNING (global tasks carry a node id)
   * @param placed tasks already on nodes that hold resources (state ASSIGNED..RUNNING, still wanted)
   */
  public static Plan schedule(List<Task> pending, List<Node> nodes, List<Task> placed, Instant now) {
    Map<String, NodeInfo> infos = new LinkedHashMap<>();
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(Node::id));
    for (Node n : sorted) infos.put(n.id(), new NodeInfo(n));
    for (Task t : placed) {
      NodeInfo i = infos.get(t.nodeID());
      if (i != null) i.add(t);
    }
    Plan plan = new Plan();
    List<Task> order = new ArrayList<>(pending);
    order.sort(Comparator.comparing(Task::serviceID).thenComparingLong(Task::slot).thenComparing(Task::id));
    Map<String, List<Filter>> filtersByService = new HashMap<>();
    Map<String, Ranking> rankings = new HashMap<>();
    for (Task t : order) {
      String group = t.serviceID() + "/" + t.spec().hashCode();
      List<Filter> filters = filtersByService.computeIfAbsent(group, k -> filtersFor(t));
      boolean pinned = t.nodeID() != null && !t.nodeID().isEmpty();
      Placement p = t.spec().placement();
      NodeInfo best;
      if (!pinned && (p == null || p.preferences() == null || p.preferences().isEmpty())) {
        // the host-port filter reads the task's endpoint, which is not part of its spec
        String same = group + "/" + java.util.Objects.hashCode(t.endpoint());
        best = rankings.computeIfAbsent(same, k -> new Ranking(infos.values(), filters, t)).take(filters, t);
      } else {
        List<NodeInfo> candidates = new ArrayList<>();
        Iterable<NodeInfo> pool = pinned
            ? (infos.containsKey(t.nodeID()) ? List.of(infos.get(t.nodeID())) : List.of())
            : infos.values();
        for (NodeInfo n : pool) if (firstFailing(filters, n, t) < 0) candidates.add(n);
        best = candidates.isEmpty() ? null : choose(candidates, t);
      }
      if (best == null) {
        // rare (nothing fits): count, over every node, the first filter each one fails
        int[] failed = new int[filters.size()];
        Iterable<NodeInfo> pool = pinned
            ? (infos.containsKey(t.nodeID()) ? List.of(infos.get(t.nodeID())) : List.of())
            : infos.values();
        for (NodeInfo n : pool) {
          int f = firstFailing(filters, n, t);
          if (f >= 0) failed[f]++;
        }
        String err = explain(filters, failed, t);
        if (!err.equals(t.status().err()) || t.state() != TaskState.PENDING) {
          plan.update(t.withStatus(new TaskStatus(now, TaskState.PENDING, "pending task scheduling", err, null, null)));
        }
        continue;
      }
      best.add(t);
      plan.update(t.withNode(best.node.id()).withStatus(TaskStatus.of(TaskState.ASSIGNED, ASSIGNED_MESSAGE, now)));
    }
    return plan;
  }

  /**
   * The nodes a group of identical tasks (one service, one spec, no placement preferences) may go
   * to, best first, so each placement costs a heap operation instead of a pass over every node:
   * with 10,000 pending tasks on 1,000 nodes the pass per task was the scheduler's whole round.
   *
   * <p>Same decisions as filtering all nodes and taking the {@link #better} one, because within a
   * round a node's state only grows (tasks, reserved resources, host ports): a node that fails a
   * filter keeps failing it, so it is dropped for good; and its rank key (tasks of the service,
   * tasks overall) only increases, so an entry whose key went stale when another task landed there
   * is put back with its current key when it reaches the top (a stale key is never too high).
   */
  private static final class Ranking {
    private record Entry(NodeInfo node, int count, int active) {}

    private final String service;
    private final java.util.PriorityQueue<Entry> heap = new java.util.PriorityQueue<>(
        Comparator.comparingInt(Entry::count).thenComparingInt(Entry::active).thenComparing(e -> e.node().node.id()));

    Ranking(java.util.Collection<NodeInfo> nodes, List<Filter> filters, Task first) {
      this.service = first.serviceID();
      for (NodeInfo n : nodes) if (firstFailing(filters, n, first) < 0) heap.add(entry(n));
    }

    private Entry entry(NodeInfo n) {
      return new Entry(n, n.countOf(service), n.activeTasks);
    }

    /** The best node that accepts {@code t}, or null; it stays ranked (the caller adds the task to it). */
    NodeInfo take(List<Filter> filters, Task t) {
      while (!heap.isEmpty()) {
        Entry e = heap.poll();
        NodeInfo n = e.node();
        if (e.count() != n.countOf(service) || e.active() != n.activeTasks) {
          heap.add(entry(n));
          continue;
        }
        if (firstFailing(filters, n, t) >= 0) continue;
        // back in with the key it will have once the caller adds t
        heap.add(new Entry(n, n.countOf(service) + 1, n.activeTasks + 1));
        return n;
      }
      return null;
    }
  }

  static List<Filter> filtersFor(Task t) {
    Placement p = t.spec().placement();
    List<Filter> f = new ArrayList<>();
    f.add(new Filter.Ready());
    f.add(new Filter.Resources());
    f.add(new Filter.Constraints(Constraint.parseAll(p == null ? null : p.constraints())));
    f.add(new Filter.HostPorts());
    f.add(new Filter.MaxReplicas(p == null ? 0 : p.maxReplicasOrZero()));
    return f;
  }

  private static int firstFailing(List<Filter> filters, NodeInfo n, Task t) {
    for (int i = 0; i < filters.size(); i++) if (!filters.get(i).accepts(n, t)) return i;
    return -1;
  }

  private static String explain(List<Filter> filters, int[] failed, Task t) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) if (failed[i] > 0) parts.add(filters.get(i).explain(failed[i]));
    if (parts.isEmpty()) return "no suitable node (no node " + (t.nodeID() != null ? "with id " + t.nodeID() : "in the swarm") + ")";
    return "no suitable node (" + String.join("; ", parts) + ")";
  }

  /** Spread over each preference's label values in turn, then over nodes. */
  private static NodeInfo choose(List<NodeInfo> candidates, Task t) {
    List<NodeInfo> pool = candidates;
    Placement p = t.spec().placement();
    if (p != null && p.preferences() != null) {
      for (Placement.Preference pref : p.preferences()) {
        String key = pref.spread().spreadDescriptor();
        Map<String, List<NodeInfo>> groups = new LinkedHashMap<>();
        for (NodeInfo n : pool) groups.computeIfAbsent(labelValue(n.node, key), k -> new ArrayList<>()).add(n);
        List<NodeInfo> bestGroup = null;
        long bestCount = Long.MAX_VALUE;
        for (List<NodeInfo> g : groups.values()) {
          long c = g.stream().mapToLong(n -> n.countOf(t.serviceID())).sum();
          if (c < bestCount) {
            bestCount = c;
            bestGroup = g;
          }
        }
        pool = bestGroup;
      }
    }
    NodeInfo best = null;
    for (NodeInfo n : pool) {
      if (best == null || better(n, best, t.serviceID())) best = n;
    }
    return best;
  }

  /** Swarm's spread order: fewest tasks of the service, then fewest tasks, then node id. */
  static boolean better(NodeInfo a, NodeInfo b, String service) {
    int c = Integer.compare(a.countOf(service), b.countOf(service));
    if (c != 0) return c < 0;
    c = Integer.compare(a.activeTasks, b.activeTasks);
    if (c != 0) return c < 0;
    return a.node.id().compareTo(b.node.id()) < 0;
  }

  private static String labelValue(Node n, String descriptor) {
    String d = descriptor.trim();
    Map<String, String> labels = null;
    String name = null;
    if (d.startsWith("node.labels.")) {
      labels = n.spec().labels();
      name = d.substring(12);
    } else if (d.startsWith("engine.labels.") && n.description() != null && n.description().engine() != null) {
      labels = n.description().engine().labels();
      name = d.substring(14);
    }
    String v = labels == null ? null : labels.get(name);
    return v == null ? "" : v;
  }
}
