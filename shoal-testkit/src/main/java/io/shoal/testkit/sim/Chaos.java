package io.shoal.testkit.sim;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario run: a cluster comes up, users create services, then for a while faults and user
 * actions alternate at seeded random times (each fault heals itself after a seeded while); then
 * everything heals, task failures stop, and after a quiet period the cluster must have converged.
 * Invariants are checked after every step throughout, and replay equality every 20 s.
 *
 * <pre>{@code
 * Chaos.Result r = Chaos.run(Chaos.MIXED, 7);   // throws SimFailure naming the seed if anything breaks
 * }</pre>
 */
public final class Chaos {
  /** What can happen between steps. User actions go to a random manager, up or not. */
  public enum Action {
    CREATE, SCALE, UPDATE, REMOVE,
    CRASH_MANAGER, CRASH_LEADER, PARTITION_LEADER, PARTITION_SPLIT,
    KILL_AGENT, CUT_AGENT, DROP_BURST,
    /** A user drains or pauses a worker node, and makes it active again a while later. */
    DRAIN
  }

  /**
   * A scenario: cluster size, phase lengths (simulated ms), mean gap between actions, whether a
   * global service runs beside the replicated ones, the swarm's settings (null: no cluster object,
   * Swarm's defaults) and the weights of the actions.
   */
  public record Scenario(String name, int managers, int agents, long chaosMillis, long quietMillis,
      long meanGapMillis, boolean global, Cluster.SwarmSpec swarm, Map<Action, Integer> weights) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What a run did; {@code traceHash} is equal for equal seeds. */
  public record Result(String scenario, long seed, long traceHash, long steps, long acknowledged,
      int userOk, int userFailed, int faults, long messages) {}

  public static final Scenario MANAGER_FAILOVER = new Scenario("manager-failover", 3, 3, 120_000, 100_000, 3000, true, null,
      weights(Action.CRASH_LEADER, 3, Action.CRASH_MANAGER, 2, Action.PARTITION_LEADER, 3, Action.PARTITION_SPLIT, 2,
          Action.CREATE, 2, Action.SCALE, 4, Action.UPDATE, 2, Action.REMOVE, 1, Action.DROP_BURST, 1));
  public static final Scenario WORKER_CHURN = new Scenario("worker-churn", 3, 5, 120_000, 100_000, 3000, true, null,
      weights(Action.KILL_AGENT, 4, Action.CUT_AGENT, 4, Action.SCALE, 3, Action.UPDATE, 3, Action.CREATE, 1,
          Action.REMOVE, 1, Action.CRASH_LEADER, 1));
  public static final Scenario MIXED = new Scenario("mixed", 5, 4, 120_000, 100_000, 2500, true, null,
      weights(Action.CRASH_LEADER, 2, Action.CRASH_MANAGER, 2, Action.PARTITION_LEADER, 2, Action.PARTITION_SPLIT, 2,
          Action.KILL_AGENT, 2, Action.CUT_AGENT, 2, Action.DROP_BURST, 1,
          Action.CREATE, 2, Action.SCALE, 3, Action.UPDATE, 3, Action.REMOVE, 1));
  /**
   * Drains and pauses among worker faults; replicated services only (see DRAIN_GLOBAL); a 2 s
   * dispatcher heartbeat and a task history of 2, set by the user as {@code swarm update} would.
   */
  public static final Scenario NODE_AVAILABILITY = new Scenario("node-availability", 3, 5, 120_000, 100_000, 3000, false,
      swarm(2_000_000_000L, 2L),
      weights(Action.KILL_AGENT, 4, Action.CUT_AGENT, 4, Action.SCALE, 3, Action.UPDATE, 3, Action.CREATE, 1,
          Action.REMOVE, 1, Action.CRASH_LEADER, 1, Action.DRAIN, 2));
  /** NODE_AVAILABILITY with a global service (drained-while-down nodes: see FoundBugsTest). */
  public static final Scenario DRAIN_GLOBAL = new Scenario("drain-global", 3, 5, 120_000, 100_000, 3000, true, null,
      NODE_AVAILABILITY.weights());
  public static final List<Scenario> ALL = List.of(MANAGER_FAILOVER, WORKER_CHURN, MIXED, NODE_AVAILABILITY, DRAIN_GLOBAL);

  /** A scenario by name, including those not in {@link #ALL}. */
  public static Scenario named(String name) {
    for (Scenario s : List.of(MANAGER_FAILOVER, WORKER_CHURN, MIXED, NODE_AVAILABILITY, DRAIN_GLOBAL)) {
      if (s.name().equals(name)) return s;
    }
    throw new IllegalArgumentException("no scenario " + name);
  }

  private static Cluster.SwarmSpec swarm(long heartbeatNanos, long history) {
    Cluster.SwarmSpec d = Cluster.SwarmSpec.defaults();
    return new Cluster.SwarmSpec(d.name(), d.labels(), new Cluster.Orchestration(history), d.raft(),
        new Cluster.Dispatcher(heartbeatNanos), d.caConfig(), null, null);
  }

  private static Map<Action, Integer> weights(Object... kv) {
    Map<Action, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((Action) kv[i], (Integer) kv[i + 1]);
    return m;
  }

  private final Scenario sc;
  private final SimCluster c;
  private final Sim sim;
  private final List<String> names = new ArrayList<>();
  private final List<String> globals = new ArrayList<>();
  private boolean chaos = true;
  private int created;
  private int versions;
  private int userOk;
  private int userFailed;
  private int faults;

  private Chaos(Scenario sc, long seed, java.util.Set<Mutation> mutations) {
    this.sc = sc;
    this.c = new SimCluster(seed, sc.managers(), sc.agents(), mutations);
    this.sim = c.sim();
  }

  public static Result run(Scenario sc, long seed) {
    return new Chaos(sc, seed, java.util.EnumSet.noneOf(Mutation.class)).run();
  }

  /** A run with deliberate bugs, to show the invariants catch them. */
  public static Result run(Scenario sc, long seed, java.util.Set<Mutation> mutations) {
    return new Chaos(sc, seed, mutations).run();
  }

  private Result run() {
    c.runFor(8000);
    if (sc.swarm() != null) swarmInit(sc.swarm());
    create(3, UpdateConfig.STOP_FIRST);
    create(2, UpdateConfig.START_FIRST);
    if (sc.global()) createGlobal();
    c.runFor(5000);
    replayCheckpoint();
    next();
    c.runFor(sc.chaosMillis());
    chaos = false;
    sim.note("heal all; quiet period");
    c.healAll();
    c.agents().forEach(a -> a.setFaults(0, 0));
    // the user makes every drained or paused node active again (retrying while a leader settles)
    for (long at = 5000; at < sc.quietMillis() / 2; at += 10_000) sim.after(at, "activate nodes", this::activateAll);
    c.runFor(sc.quietMillis());
    c.invariants().checkReplay();
    String problem = c.invariants().converged();
    if (problem != null) throw sim.failure("not converged after the quiet period: " + problem);
    return new Result(sc.name(), sim.seed(), sim.traceHash(), sim.steps(), c.invariants().acknowledgedCount(),
        userOk, userFailed, faults, c.network().sent());
  }

  private void replayCheckpoint() {
    sim.after(20_000, "replay checkpoint", () -> {
      c.invariants().checkReplay();
      replayCheckpoint();
    });
  }

  private void next() {
    long gap = (long) (-Math.log(1 - sim.random().nextDouble()) * sc.meanGapMillis());
    sim.after(gap, "chaos", () -> {
      if (!chaos) return;
      act(pick());
      next();
    });
  }

  private Action pick() {
    int total = sc.weights().values().stream().mapToInt(Integer::intValue).sum();
    int r = sim.random().nextInt(total);
    for (Map.Entry<Action, Integer> e : sc.weights().entrySet()) {
      r -= e.getValue();
      if (r < 0) return e.getKey();
    }
    throw new IllegalStateException();
  }

  private <T> T any(List<T> l) {
    return l.get(sim.random().nextInt(l.size()));
  }

  private SimManager anyManager() {
    return any(c.managers());
  }

  private void act(Action a) {
    switch (a) {
      case CREATE -> {
        if (names.size() < 4) create(sim.between(1, 5), sim.chance(0.5) ? UpdateConfig.START_FIRST : UpdateConfig.STOP_FIRST);
      }
      case SCALE -> {
        if (names.isEmpty()) return;
        long n = sim.between(0, 6);
        user("scale " + n, c.update(anyManager(), any(names), s -> s.withMode(ServiceMode.replicas(n))));
      }
      case UPDATE -> {
        List<String> all = new ArrayList<>(names);
        all.addAll(globals);
        if (all.isEmpty()) return;
        String image = "busybox:" + (++versions);
        user("update image " + image, c.update(anyManager(), any(all),
            s -> s.withTaskTemplate(s.taskTemplate().withContainerSpec(ContainerSpec.ofImage(image)))));
      }
      case REMOVE -> {
        if (names.size() < 2) return;
        String name = any(names);
        SimManager m = anyManager();
        var w = c.control(m, api -> {
          api.removeService(name);
          return null;
        });
        user("remove " + name, w);
        w.ack().whenComplete((x, e) -> {
          if (e == null) names.remove(name);
        });
      }
      case CRASH_MANAGER -> crash(anyManager());
      case CRASH_LEADER -> {
        if (c.leader() != null) crash(c.leader());
      }
      case PARTITION_LEADER -> {
        if (c.leader() != null) partition(List.of(c.leader()));
      }
      case PARTITION_SPLIT -> {
        List<SimManager> side = new ArrayList<>();
        for (SimManager m : c.managers()) if (sim.chance(0.5)) side.add(m);
        if (!side.isEmpty() && side.size() < c.managers().size()) partition(side);
      }
      case KILL_AGENT -> {
        SimAgent ag = any(c.agents());
        if (!ag.isUp()) return;
        faults++;
        ag.kill();
        sim.after(sim.between(5000, 60000), "revive " + ag.id(), () -> {
          if (!ag.isUp()) ag.revive();
        });
      }
      case CUT_AGENT -> {
        SimAgent ag = any(c.agents());
        if (c.network().group(ag.id()) != 0) return;
        faults++;
        sim.note("cut " + ag.id());
        c.network().setGroup(ag.id(), 100);
        sim.after(sim.between(5000, 40000), "reconnect " + ag.id(), () -> c.network().setGroup(ag.id(), 0));
      }
      case DRAIN -> {
        String node = any(c.agents()).id();
        String how = sim.chance(0.5) ? Node.NodeSpec.DRAIN : Node.NodeSpec.PAUSE;
        availability(node, how);
        sim.after(sim.between(5000, 40000), "activate " + node, () -> availability(node, Node.NodeSpec.ACTIVE));
      }
      case DROP_BURST -> {
        faults++;
        c.network().setDropRate(0.3);
        sim.after(sim.between(2000, 10000), "drops end", () -> c.network().setDropRate(0.01));
      }
    }
  }

  /** The cluster object, as {@code swarm init} writes it, with the scenario's settings. */
  private void swarmInit(Cluster.SwarmSpec spec) {
    SimManager l = c.leader();
    if (l == null) return;
    String id = io.shoal.api.model.Ids.newId(sim.random());
    user("swarm init", l.write("swarm init", s -> {
      s.update(tx -> tx.create(new Cluster(id, null, null, null, spec, null, null, null, null, null, null, null)));
      return null;
    }));
    c.runFor(1000);
  }

  private void availability(String node, String availability) {
    SimManager m = anyManager();
    if (!m.isUp()) return;
    Node n = m.store().view(tx -> tx.node(node));
    if (n == null) return;
    user("node " + node + " " + availability, c.control(m, api -> api.updateNode(node, n.version().index(), n.spec().withAvailability(availability))));
  }

  private void activateAll() {
    SimManager l = c.leader();
    if (l == null) return;
    for (Node n : l.store().view(tx -> tx.nodes())) {
      if (!Node.NodeSpec.ACTIVE.equals(n.spec().availabilityOrActive())) {
        user("node " + n.id() + " active", c.control(l, api -> api.updateNode(n.id(), n.version().index(), n.spec().withAvailability(Node.NodeSpec.ACTIVE))));
      }
    }
  }

  private void create(long replicas, String order) {
    String name = "svc" + (++created);
    UpdateConfig u = new UpdateConfig(1L, 0L, UpdateConfig.PAUSE, 2_000_000_000L, 0.0, order);
    // every other service publishes a port, so its VIP and its tasks' addresses come from the
    // ingress network (no random draw: seeds of earlier runs keep their trajectory of choices)
    EndpointSpec endpoint = created % 2 == 0 ? new EndpointSpec(null, List.of(new PortConfig(null, "tcp", 80, 0, null))) : null;
    ServiceSpec spec = new ServiceSpec(name, Map.of(), TaskSpec.of(ContainerSpec.ofImage("busybox")),
        ServiceMode.replicas(replicas), u, null, null, endpoint);
    var w = c.control(anyManager(), api -> api.createService(spec));
    user("create " + name + " x" + replicas + " " + order + (endpoint == null ? "" : " published"), w);
    w.ack().whenComplete((x, e) -> {
      if (e == null) names.add(name);
    });
  }

  private void createGlobal() {
    String name = "global" + (++created);
    UpdateConfig u = new UpdateConfig(1L, 0L, UpdateConfig.PAUSE, 2_000_000_000L, 0.0, UpdateConfig.STOP_FIRST);
    ServiceSpec spec = new ServiceSpec(name, Map.of(), TaskSpec.of(ContainerSpec.ofImage("busybox")),
        ServiceMode.globalMode(), u, null, null, null);
    var w = c.control(anyManager(), api -> api.createService(spec));
    user("create " + name + " global", w);
    w.ack().whenComplete((x, e) -> {
      if (e == null) globals.add(name);
    });
  }

  private void user(String what, SimManager.Write<?> w) {
    w.ack().whenComplete((x, e) -> {
      if (e == null) userOk++;
      else userFailed++;
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      sim.note("user " + what + (e == null ? " acknowledged at " + x : " failed: " + cause.getClass().getSimpleName() + " " + cause.getMessage()));
    });
  }

  private void crash(SimManager m) {
    if (!m.isUp()) return;
    faults++;
    m.crash();
    sim.after(sim.between(1000, 30000), "restart " + m.id(), () -> {
      if (!m.isUp()) m.restart();
    });
  }

  /** {@code side} (and some agents) apart from the rest, until a seeded heal. */
  private void partition(List<SimManager> side) {
    if (c.network().partitioned() && c.managers().stream().anyMatch(m -> c.network().group(m.id()) != 0)) return;
    faults++;
    List<String> moved = new ArrayList<>();
    for (SimManager m : side) moved.add(m.id());
    for (SimAgent a : c.agents()) if (c.network().group(a.id()) == 0 && sim.chance(0.3)) moved.add(a.id());
    sim.note("partition " + moved);
    moved.forEach(n -> c.network().setGroup(n, 1));
    sim.after(sim.between(3000, 30000), "heal " + moved, () -> moved.forEach(n -> {
      if (c.network().group(n) == 1) c.network().setGroup(n, 0);
    }));
  }
}
