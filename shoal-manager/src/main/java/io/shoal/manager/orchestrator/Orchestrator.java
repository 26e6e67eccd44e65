package io.shoal.manager.orchestrator;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.manager.Component;
import io.shoal.manager.PlanCommitter;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The leader's orchestrator: keeps every service's tasks as its spec says. Per service and round,
 * the first planner with something to do acts — the mode's planner (replicated, global, job:
 * scale, restart, move off lost nodes), else the rolling updater, else promotion of delayed
 * replacements — and the round's own writes trigger the next round. Then the reaper tidies up.
 *
 * <p>Threading: one thread (see {@link Component}). Node changes re-plan every service, task
 * and service changes only their service; a 1 s tick re-plans all (restart delays, monitors).
 */
public final class Orchestrator extends Component {
  private final Clock clock;
  private final ReplicatedPlanner replicated;
  private final GlobalPlanner global;
  private final JobPlanner jobs;
  private final UpdatePlanner updates;

  public Orchestrator(MemoryStore store, Clock clock, RandomGenerator random) {
    super("orchestrator", store, Duration.ofSeconds(1), e -> {
      StoreObject o = e.subject();
      return o instanceof Service || o instanceof Task || o instanceof Node || o instanceof Cluster;
    });
    this.clock = clock;
    TaskFactory f = new TaskFactory(random);
    this.replicated = new ReplicatedPlanner(f);
    this.global = new GlobalPlanner(f);
    this.jobs = new JobPlanner(f);
    this.updates = new UpdatePlanner(f);
  }

  @Override
  protected void reconcile(List<StoreEvent> events, boolean full) {
    Set<String> services = new HashSet<>();
    boolean all = full;
    for (StoreEvent e : events) {
      StoreObject o = e.subject();
      if (o instanceof Service s) services.add(s.id());
      else if (o instanceof Task t) services.add(t.serviceID());
      else if (o instanceof Node || o instanceof Cluster) all = true;
    }
    Plan plan = planFor(all ? null : services, clock.instant());
    PlanCommitter.commit(store, plan);
  }

  /** One round's plan for the given services (null: all services), from one consistent view. */
  public Plan planFor(Set<String> serviceIds, Instant now) {
    return store.view(tx -> {
      List<Node> nodes = tx.nodes();
      Map<String, Node> byId = new HashMap<>();
      for (Node n : nodes) byId.put(n.id(), n);
      Plan plan = new Plan();
      Map<String, Service> all = new HashMap<>();
      for (Service s : tx.services()) all.put(s.id(), s);
      Iterable<String> ids = serviceIds == null ? all.keySet() : serviceIds;
      for (String id : ids) {
        Service s = all.get(id);
        if (s == null) continue;
        plan.addAll(planService(s, tx.tasksOfService(id), nodes, byId, now));
      }
      Cluster c = tx.cluster();
      long limit = c == null ? 5 : c.spec().taskHistoryLimit();
      List<Task> reapable = serviceIds == null ? tx.tasks() : tasksOf(tx, serviceIds);
      plan.addAll(TaskReaper.plan(all, reapable, byId, limit));
      return plan;
    });
  }

  private static List<Task> tasksOf(io.shoal.store.ReadTx tx, Set<String> ids) {
    List<Task> out = new java.util.ArrayList<>();
    for (String id : ids) out.addAll(tx.tasksOfService(id));
    return out;
  }

  Plan planService(Service s, List<Task> tasks, List<Node> nodes, Map<String, Node> byId, Instant now) {
    var mode = s.spec().modeOrDefault();
    Plan p;
    if (mode.isJob()) p = jobs.plan(s, tasks, nodes, now);
    else if (mode.isGlobal()) p = global.plan(s, tasks, nodes, now);
    else p = replicated.plan(s, tasks, byId, now);
    if (!p.isEmpty()) return p;
    p = updates.plan(s, tasks, byId, now);
    if (!p.isEmpty()) return p;
    return ReplicatedPlanner.promote(tasks, byId, mode.isGlobal(), now);
  }
}
