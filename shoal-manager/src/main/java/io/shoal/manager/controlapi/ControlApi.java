package io.shoal.manager.controlapi;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.api.validation.SpecValidator;
import io.shoal.manager.allocator.EndpointAllocator;
import io.shoal.manager.orchestrator.UpdatePlanner;
import io.shoal.store.MemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The edge where users' requests become store writes: every spec is validated, every reference
 * resolved, and only then is anything written — a rejected request changes nothing. Reads resolve
 * ids, names and id prefixes as Docker does.
 *
 * <p>Thread-safe: every method is one store transaction.
 */
public final class ControlApi {
  private final MemoryStore store;
  private final Clock clock;
  private final RandomGenerator random;
  private volatile DemotionCheck demotionCheck = nodeId -> {};

  /**
   * Whether a manager may be demoted now, asked before the role is written: raft knows what the
   * store does not (who is reachable). Throws {@code ShoalException.InvalidSpec} with the reason.
   */
  @FunctionalInterface
  public interface DemotionCheck {
    void check(String nodeId);
  }

  public ControlApi(MemoryStore store, Clock clock, RandomGenerator random) {
    this.store = store;
    this.clock = clock;
    this.random = random;
  }

  public MemoryStore store() {
    return store;
  }

  // ---- services ----

  /** Creates a service; returns it as stored. */
  public Service createService(ServiceSpec spec) {
    ServiceSpec s = withModeDefaults(spec.name() == null || spec.name().isEmpty() ? renamed(spec, Names.random(random)) : spec);
    SpecValidator.validateService(s);
    String id = Ids.newId(random);
    return stored(store.updateAndGet(tx -> {
      if (tx.byName(StoreObject.Kind.SERVICE, s.name()) != null) {
        throw new ShoalException.NameConflict("name conflicts with an existing object: service " + s.name() + " already exists");
      }
      References.check(tx, s);
      TaskBudget.check(tx, s, null);
      ServiceSpec resolved = References.resolve(tx, s);
      var endpoint = EndpointAllocator.allocate(tx, resolved, null);
      Service.JobStatus job = s.modeOrDefault().isJob() ? new Service.JobStatus(new Version(0), clock.instant()) : null;
      Service created = new Service(id, Version.ZERO, null, null, resolved, null, endpoint, null, null, job);
      tx.create(created);
      return created;
    }));
  }

  /**
   * The object as the store now holds it: what a transaction wrote is not yet stamped with its
   * version and times, and a caller sends that version back with its next update.
   */
  private <T extends StoreObject> T stored(T written) {
    T now = store.view(tx -> tx.get(written.kind(), written.id()));
    return now == null ? written : now;
  }

  /**
   * Updates a service at {@code version} (Docker's {@code ?version=}); {@code rollback} swaps back
   * to the previous spec as {@code docker service rollback} asks.
   */
  public Service updateService(String ref, long version, ServiceSpec given, boolean rollback) {
    ServiceSpec spec = rollback ? given : withModeDefaults(given);
    if (!rollback) SpecValidator.validateService(spec);
    return stored(store.updateAndGet(tx -> {
      Service cur = Lookup.find(tx, StoreObject.Kind.SERVICE, ref);
      if (cur.version().index() != version) throw new ShoalException.SequenceConflict("update out of sequence");
      ServiceSpec next;
      if (rollback) {
        if (cur.previousSpec() == null) throw new ShoalException.InvalidSpec("service " + cur.id() + " does not have a previous spec");
        next = cur.previousSpec();
      } else {
        if (!Objects.equals(spec.name(), cur.spec().name())) throw new ShoalException.InvalidSpec("renaming services is not supported");
        next = References.resolve(tx, spec);
      }
      if (cur.spec().modeOrDefault().isGlobal() != next.modeOrDefault().isGlobal()
          || cur.spec().modeOrDefault().isJob() != next.modeOrDefault().isJob()) {
        throw new ShoalException.InvalidSpec("service mode change is not allowed");
      }
      References.check(tx, next);
      TaskBudget.check(tx, next, cur);
      var endpoint = EndpointAllocator.allocate(tx, next, cur);
      Service updated = cur.withSpec(next, cur.spec()).withEndpoint(endpoint);
      boolean tasksChange = !Objects.equals(cur.spec().taskTemplate(), next.taskTemplate())
          || !Objects.equals(cur.endpoint(), endpoint);
      if (rollback) {
        updated = updated.withUpdateStatus(new Service.UpdateStatus(UpdatePlanner.ROLLBACK_STARTED, clock.instant(), null, "manually requested rollback"));
      } else if (tasksChange && !next.modeOrDefault().isJob()) {
        updated = updated.withUpdateStatus(new Service.UpdateStatus(UpdatePlanner.UPDATING, clock.instant(), null, "update in progress"));
      }
      if (next.modeOrDefault().isJob() && cur.jobStatus() != null) {
        // a job update starts a new run: tasks of the old iteration stop, the new one starts over
        updated = updated.withJobStatus(new Service.JobStatus(new Version(cur.jobStatus().jobIteration().index() + 1), clock.instant()));
      }
      tx.update(updated);
      return updated;
    }));
  }

  public void removeService(String ref) {
    store.update(tx -> {
      Service s = Lookup.find(tx, StoreObject.Kind.SERVICE, ref);
      tx.delete(StoreObject.Kind.SERVICE, s.id());
    });
  }

  public Service service(String ref, boolean withStatus) {
    return store.view(tx -> {
      Service s = Lookup.find(tx, StoreObject.Kind.SERVICE, ref);
      return withStatus ? withStatus(tx, s) : s;
    });
  }

  public List<Service> services(Filters f, boolean withStatus) {
    f.allowOnly("id", "name", "label", "mode");
    return store.view(tx -> {
      List<Service> out = new ArrayList<>();
      for (Service s : tx.services()) {
        if (!f.any("id", s.id()::startsWith) || !f.any("name", s.spec().name()::startsWith)) continue;
        if (!f.labels("label", s.spec().labels())) continue;
        String mode = s.spec().modeOrDefault().isGlobal() ? "global" : "replicated";
        if (!f.any("mode", mode::equals)) continue;
        out.add(withStatus ? withStatus(tx, s) : s);
      }
      out.sort(Comparator.comparing(Service::createdAt));
      return out;
    });
  }

  private static Service withStatus(io.shoal.store.ReadTx tx, Service s) {
    long running = 0;
    long desiredRunning = 0;
    long completed = 0;
    for (Task t : tx.tasksOfService(s.id())) {
      if (t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING) running++;
      if (t.desiredState() == TaskState.RUNNING) desiredRunning++;
      if (t.state() == TaskState.COMPLETE) completed++;
    }
    var mode = s.spec().modeOrDefault();
    long desired = mode.replicated() != null ? mode.replicaCount()
        : mode.replicatedJob() != null ? Math.min(mode.replicatedJob().maxConcurrentOrDefault(), mode.replicatedJob().totalCompletionsOrDefault() - completed)
        : desiredRunning;
    return s.withServiceStatus(new Service.ServiceStatus(running, Math.max(desired, 0), completed));
  }

  // ---- tasks ----

  public Task task(String ref) {
    return store.view(tx -> Lookup.find(tx, StoreObject.Kind.TASK, ref));
  }

  public List<Task> tasks(Filters f) {
    f.allowOnly("id", "name", "label", "service", "node", "desired-state", "_up-to-date");
    return store.view(tx -> {
      List<String> serviceIds = new ArrayList<>();
      for (String ref : f.get("service")) {
        try {
          serviceIds.add(Lookup.<Service>find(tx, StoreObject.Kind.SERVICE, ref).id());
        } catch (ShoalException.NotFound e) {
          // Docker answers an empty list for an unknown service filter
        }
      }
      List<String> nodeIds = new ArrayList<>();
      for (String ref : f.get("node")) {
        try {
          nodeIds.add(Lookup.<Node>find(tx, StoreObject.Kind.NODE, ref).id());
        } catch (ShoalException.NotFound e) {
          // likewise
        }
      }
      List<Task> source = f.has("service") ? serviceIds.stream().flatMap(id -> tx.tasksOfService(id).stream()).toList() : tx.tasks();
      List<Task> out = new ArrayList<>();
      for (Task t : source) {
        if (f.has("node") && !nodeIds.contains(t.nodeID())) continue;
        if (!f.any("id", t.id()::startsWith)) continue;
        if (!f.any("name", n -> t.name() != null && t.name().startsWith(n))) continue;
        // as SwarmKit: a task list's label filter matches its service's labels (stack ps relies on it)
        Service owner = tx.service(t.serviceID());
        if (!f.labels("label", owner != null ? owner.spec().labels() : t.labels())) continue;
        if (!f.any("desired-state", d -> desiredMatches(d, t.desiredState()))) continue;
        out.add(t);
      }
      out.sort(Comparator.comparing(Task::serviceID).thenComparingLong(Task::slot).thenComparing(Task::createdAt, Comparator.reverseOrder()));
      return out;
    });
  }

  private static boolean desiredMatches(String filter, TaskState desired) {
    return switch (filter) {
      case "running" -> desired == TaskState.RUNNING || desired == TaskState.READY;
      case "shutdown" -> desired.compareTo(TaskState.RUNNING) > 0;
      case "accepted" -> desired == TaskState.ACCEPTED;
      default -> throw new ShoalException.InvalidSpec("invalid filter 'desired-state=" + filter + "'");
    };
  }

  // ---- nodes ----

  public Node node(String ref) {
    return store.view(tx -> Lookup.find(tx, StoreObject.Kind.NODE, ref));
  }

  public List<Node> nodes(Filters f) {
    f.allowOnly("id", "label", "membership", "name", "node.label", "role");
    return store.view(tx -> {
      List<Node> out = new ArrayList<>();
      for (Node n : tx.nodes()) {
        if (!f.any("id", n.id()::startsWith)) continue;
        if (!f.any("name", v -> n.hostname().startsWith(v) || Objects.equals(n.spec().name(), v))) continue;
        if (!f.any("role", n.spec().role()::equals)) continue;
        if (!f.any("membership", "accepted"::equals)) continue;
        Map<String, String> engine = n.description() == null || n.description().engine() == null ? Map.of() : n.description().engine().labels();
        if (!f.labels("label", engine) || !f.labels("node.label", n.spec().labels())) continue;
        out.add(n);
      }
      out.sort(Comparator.comparing(Node::createdAt));
      return out;
    });
  }

  /** Installs the raft-side demotion check (the daemon's: quorum after removal). */
  public void setDemotionCheck(DemotionCheck check) {
    this.demotionCheck = check == null ? nodeId -> {} : check;
  }

  public Node updateNode(String ref, long version, Node.NodeSpec spec) {
    String availability = spec.availabilityOrActive();
    if (!Set.of(Node.NodeSpec.ACTIVE, Node.NodeSpec.PAUSE, Node.NodeSpec.DRAIN).contains(availability)) {
      throw new ShoalException.InvalidSpec("invalid availability \"" + availability + "\" (active, pause or drain)");
    }
    String role = spec.role() == null || spec.role().isEmpty() ? null : spec.role();
    if (role != null && !Set.of("manager", "worker").contains(role)) {
      throw new ShoalException.InvalidSpec("invalid role \"" + role + "\" (manager or worker)");
    }
    Node before = node(ref);
    if ("worker".equals(role) && "manager".equals(before.spec().role())) {
      // Swarm refuses a demotion that would leave raft without quorum rather than accept a role
      // the leader cannot act on. Asked outside the write: raft may need an RPC to answer.
      demotionCheck.check(before.id());
    }
    return stored(store.updateAndGet(tx -> {
      Node cur = Lookup.find(tx, StoreObject.Kind.NODE, ref);
      if (cur.version().index() != version) throw new ShoalException.SequenceConflict("update out of sequence");
      String newRole = role == null ? cur.spec().role() : role;
      if ("worker".equals(newRole) && "manager".equals(cur.spec().role())) {
        long managers = tx.nodes().stream().filter(n -> "manager".equals(n.spec().role())).count();
        if (managers <= 1) throw new ShoalException.InvalidSpec("attempting to demote the last manager of the swarm");
      }
      Node updated = cur.withSpec(new Node.NodeSpec(spec.name(), spec.labels(), newRole, availability));
      tx.update(updated);
      return updated;
    }));
  }

  public void removeNode(String ref, boolean force) {
    store.update(tx -> {
      Node n = Lookup.find(tx, StoreObject.Kind.NODE, ref);
      if ("manager".equals(n.spec().role())) {
        throw new ShoalException.InvalidSpec("rpc error: node " + n.id() + " is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal");
      }
      if (!force && n.isReady()) {
        throw new ShoalException.InvalidSpec("node " + n.id() + " is not down and can't be removed");
      }
      tx.delete(StoreObject.Kind.NODE, n.id());
      // its certificate is refused from now on, by every node (see Cluster.removedNodes)
      var c = tx.cluster();
      if (c != null) tx.update(c.withRemovedNode(n.id()));
    });
  }

  /**
   * Docker's daemon stores the defaults it applies: one replica when none is given, and for a
   * replicated job MaxConcurrent 1 and TotalCompletions = MaxConcurrent. The docker CLI reads them
   * back (service ls, stack services) and fails on a mode without them.
   */
  static ServiceSpec withModeDefaults(ServiceSpec s) {
    ServiceMode m = s.mode();
    ServiceMode fixed;
    if (m == null || m.modesSet() == 0) {
      fixed = ServiceMode.replicas(1);
    } else if (m.replicated() != null && m.replicated().replicas() == null) {
      fixed = ServiceMode.replicas(1);
    } else if (m.replicatedJob() != null && (m.replicatedJob().maxConcurrent() == null || m.replicatedJob().totalCompletions() == null)) {
      long max = m.replicatedJob().maxConcurrentOrDefault();
      long total = m.replicatedJob().totalCompletions() == null || m.replicatedJob().totalCompletions() == 0 ? max : m.replicatedJob().totalCompletions();
      fixed = new ServiceMode(null, null, new ServiceMode.ReplicatedJob(max, total), null);
    } else {
      return s;
    }
    return s.withMode(fixed);
  }

  private static ServiceSpec renamed(ServiceSpec s, String name) {
    return new ServiceSpec(name, s.labels(), s.taskTemplate(), s.mode(), s.updateConfig(), s.rollbackConfig(), s.networks(), s.endpointSpec());
  }
}
