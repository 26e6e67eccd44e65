package io.shoal.testkit.sim;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.testkit.sim.SimManager.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * N simulated managers and M simulated agents on one {@link Sim}: the world a scenario drives.
 * Invariants are checked after every simulator step.
 *
 * <pre>{@code
 * SimCluster c = new SimCluster(seed, 3, 4);
 * c.runFor(10_000);                                         // elect, register
 * c.control(c.manager(1), api -> api.createService(spec));  // on a follower: forwarded
 * c.manager(0).crash(); c.runFor(20_000); c.manager(0).restart();
 * }</pre>
 */
public final class SimCluster {
  private final Sim sim;
  private final SimNetwork network;
  private final Invariants invariants;
  private final List<SimManager> managers = new ArrayList<>();
  private final List<SimAgent> agents = new ArrayList<>();
  private final java.util.Set<Mutation> mutations;
  private long entryIds;

  public SimCluster(long seed, int managerCount, int agentCount) {
    this(seed, managerCount, agentCount, java.util.EnumSet.noneOf(Mutation.class));
  }

  /** A cluster with deliberate bugs (see {@link Mutation}); for tests of the invariants only. */
  public SimCluster(long seed, int managerCount, int agentCount, java.util.Set<Mutation> mutations) {
    this.mutations = java.util.Set.copyOf(mutations);
    this.sim = new Sim(seed);
    this.network = new SimNetwork(sim);
    this.invariants = new Invariants(this);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= managerCount; i++) ids.add("m" + i);
    for (String id : ids) managers.add(new SimManager(this, id, ids));
    for (int i = 1; i <= agentCount; i++) agents.add(new SimAgent(this, "w" + i, ids));
    if (mutations.contains(Mutation.VOTE_WITHOUT_LOG_CHECK)) managers.forEach(m -> m.raft().setVoteChecksLog(false));
    managers.forEach(SimManager::start);
    agents.forEach(SimAgent::start);
    sim.afterEachStep(invariants::check);
  }

  public Sim sim() {
    return sim;
  }

  public SimNetwork network() {
    return network;
  }

  public Invariants invariants() {
    return invariants;
  }

  public List<SimManager> managers() {
    return managers;
  }

  public List<SimAgent> agents() {
    return agents;
  }

  public SimManager manager(int i) {
    return managers.get(i);
  }

  boolean has(Mutation m) {
    return mutations.contains(m);
  }

  long nextEntryId() {
    return ++entryIds;
  }

  public void runFor(long millis) {
    sim.runFor(millis);
  }

  /** The up manager that leads the highest term, or null. */
  public SimManager leader() {
    SimManager best = null;
    for (SimManager m : managers) {
      if (m.raft().isLeader() && (best == null || m.raft().term() > best.raft().term())) best = m;
    }
    return best;
  }

  /** A user's call to the control API on manager {@code m}; its write goes through SimRaft. */
  public <T> Write<T> control(SimManager m, Function<ControlApi, T> call) {
    return m.write("control api", s -> call.apply(new ControlApi(s, sim.clock(), sim.random())));
  }

  /** The service named {@code name} as {@code m} sees it, or null. */
  public Service service(SimManager m, String name) {
    if (!m.isUp()) return null;
    return m.store().view(tx -> tx.byName(io.shoal.api.model.StoreObject.Kind.SERVICE, name));
  }

  /**
   * An update (scale, new image...): read on {@code m}, then update at the version read, as {@code
   * docker service scale|update} do; a stale read loses with a sequence conflict.
   */
  public Write<Service> update(SimManager m, String name, Function<ServiceSpec, ServiceSpec> change) {
    if (!m.isUp()) return Write.failed(new io.shoal.api.error.ShoalException.Unavailable(m.id() + " is down"));
    Service s = service(m, name);
    if (s == null) return Write.failed(new io.shoal.api.error.ShoalException.NotFound("service " + name + " not found on " + m.id()));
    return control(m, api -> api.updateService(s.id(), s.version().index(), change.apply(s.spec()), false));
  }

  /** Heals every partition and brings every manager and agent back. */
  public void healAll() {
    network.heal();
    network.setDropRate(0.01);
    for (SimManager m : managers) if (!m.isUp()) m.restart();
    for (SimAgent a : agents) if (!a.isUp()) a.revive();
  }
}
