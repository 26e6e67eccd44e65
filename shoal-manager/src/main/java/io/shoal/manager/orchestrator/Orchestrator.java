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

  /**
   * One round's plan for the given services (null: all services), from one consistent view. The
   * view only copies what the round reads; planning runs after it, outside the store's read lock:
   * with 100,000 tasks a full round is long, and while a reader holds the lock the raft apply
   * thread waits for it and every other reader (heartbeats included) queues behind the apply.
   */
  public Plan planFor(Set<String> serviceIds, Instant now) {
    Snapshot snap = store.view(tx -> {
      List<Service> services = tx.services();
      Map<String, List<Task>> tasks = new HashMap<>();
      for (Service s : services) {
        if (serviceIds == null || serviceIds.contains(s.id())) tasks.put(s.id(), tx.tasksOfService(s.id()));
      }
      return new Snapshot(tx.nodes(), services, tasks, serviceIds == null ? tx.tasks() : tasksOf(tx, serviceIds), tx.cluster());
    });
    Map<String, Node> byId = new HashMap<>();
    for (Node n : snap.nodes()) byId.put(n.id(), n);
    Plan plan = new Plan();
    Map<String, Service> all = new HashMap<>();
    for (Service s : snap.services()) all.put(s.id(), s);
    Iterable<String> ids = serviceIds == null ? all.keySet() : serviceIds;
    for (String id : ids) {
      Service s = all.get(id);
      if (s == null) continue;
      plan.addAll(withEndpoints(s, planService(s, snap.tasks().get(id), snap.nodes(), byId, now), all.values()));
    }
    Cluster c = snap.cluster();
    long limit = c == null ? 5 : c.spec().taskHistoryLimit();
    plan.addAll(TaskReaper.plan(all, snap.reapable(), byId, limit));
    return plan;
  }

  /** What one round reads, copied out of one view. */
  private record Snapshot(List<Node> nodes, List<Service> services, Map<String, List<Task>> tasks, List<Task> reapable,
      Cluster cluster) {}

  /**
   * A plan that puts a service back on its previous spec (an update's failure action rollback)
   * must put its published ports back too, or the rolled-back spec would run on the new ports.
   * Ports are allocated against every other service, which only this shell sees; if the old port
   * was taken meanwhile, the current endpoint stays.
   */
  static Plan withEndpoints(Service s, Plan p, java.util.Collection<Service> services) {
    for (int i = 0; i < p.updates.size(); i++) {
      if (!(p.updates.get(i) instanceof Service next) || java.util.Objects.equals(next.spec().endpointSpec(), s.spec().endpointSpec())) {
        continue;
      }
      try {
        p.updates.set(i, next.withEndpoint(io.shoal.manager.allocator.PortAllocator.allocate(next.spec(), s, List.copyOf(services))));
      } catch (io.shoal.api.error.ShoalException.InvalidSpec e) {
        // the old port is someone else's now: keep serving on the current one
      }
    }
    return p;
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
