package io.shoal.testkit.sim;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.UpdateConfig;
import io.shoal.manager.netview.NetworkViews;
import io.shoal.manager.orchestrator.NodeAvailability;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.StoreAction;
import io.shoal.testkit.sim.raft.Entry;
import io.shoal.testkit.sim.raft.RaftMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold after every simulator step, and what must hold once the faults are over.
 *
 * <p>After every step:
 * <ol>
 *   <li><b>election safety</b>: at most one leader per term, over the whole run;</li>
 *   <li><b>committed logs agree</b>: every manager's committed prefix equals one run-wide committed
 *       log (so they are prefixes of each other), and a commit index never goes back;</li>
 *   <li><b>no acknowledged write lost</b>: an acknowledged entry is in that committed log at its
 *       index, and in the log of every leader elected afterwards (checked when each new leader
 *       first shows up — a leader's log only grows); and at checkpoints every manager's store
 *       equals a fresh store fed its committed log (applied state = replay of the log);</li>
 *   <li><b>task state never moves backwards</b>, nor its desired state, and a task's node never
 *       changes once set — checked at every apply, on every manager;</li>
 *   <li><b>no task on two nodes at once</b>: no task id has a running container on two nodes;</li>
 *   <li><b>one running task per slot</b> (a global service's slot is its node): in every manager's
 *       store, a slot has at most one task that is RUNNING, still wanted (desired READY/RUNNING) and
 *       on a node that is not lost (down, drained or gone). The one allowance is start-first (the
 *       service's update or rollback order is start-first): the slot may then run one task <em>per
 *       spec</em> — the new one and the out-of-date ones it replaces (quick successive updates stack
 *       generations) — but only until the leader tells the old ones to stop: such an overlap may
 *       last 15 s of a ready leader's time. A node that is cut off keeps its task running while
 *       its slot is filled elsewhere — that is Swarm's behaviour, and why tasks on lost nodes or
 *       already told to stop do not count.</li>
 * </ol>
 * After the faults heal and a quiet period, {@link #converged} checks that every replicated
 * service runs exactly its replica count of containers on live nodes, one per slot, every global
 * service one on every live node, that no
 * container runs that the managers do not want, and that no node's network view holds an
 * endpoint of a task that is dead or does not run where the view says. After every step also:
 * <b>no address handed out twice</b> (task attachments, VIPs) in any manager's store.
 */
public final class Invariants {
  private final SimCluster cluster;
  private final Sim sim;
  private final Map<Long, String> leaderOfTerm = new TreeMap<>();
  private final List<Entry> committed = new ArrayList<>();
  private final Map<String, Long> checkedCommit = new TreeMap<>();
  private final Map<String, Long> checkedStore = new TreeMap<>();
  private final List<Ack> acks = new ArrayList<>();
  private long acknowledged;
  private int acksChecked;
  private static final long OVERLAP_GRACE_MS = 15_000;
  private final Map<String, Long> overlapSince = new TreeMap<>();
  private String overlapLeader;
  private long lastLeaderLook;

  record Ack(String manager, long index, long entryId, long maxTerm) {}

  Invariants(SimCluster cluster) {
    this.cluster = cluster;
    this.sim = cluster.sim();
  }

  private SimFailure fail(String msg) {
    return sim.failure("invariant broken: " + msg);
  }

  void acknowledged(String manager, long index, long entryId) {
    long maxTerm = 0;
    for (SimManager m : cluster.managers()) maxTerm = Math.max(maxTerm, m.raft().term());
    acks.add(new Ack(manager, index, entryId, maxTerm));
    acknowledged++;
  }

  public long acknowledgedCount() {
    return acknowledged;
  }

  /** After every step. */
  void check() {
    for (SimManager m : cluster.managers()) {
      RaftMember r = m.raft();
      if (r.isLeader()) {
        String prev = leaderOfTerm.putIfAbsent(r.term(), m.id());
        if (prev == null) leaderCompleteness(m);
        else if (!prev.equals(m.id())) throw fail("two leaders in term " + r.term() + ": " + prev + " and " + m.id());
      }
      long from = checkedCommit.getOrDefault(m.id(), 0L);
      if (r.commitIndex() < from) throw fail(m.id() + "'s commit index went back from " + from + " to " + r.commitIndex());
      for (long i = from + 1; i <= r.commitIndex(); i++) {
        Entry e = r.entry(i);
        if (i <= committed.size()) {
          if (committed.get((int) i - 1).id() != e.id()) throw fail(m.id() + " committed a different entry at " + i);
        } else {
          committed.add(e);
        }
      }
      checkedCommit.put(m.id(), r.commitIndex());
      boolean changed = m.isUp() && checkedStore.getOrDefault(m.id(), -1L) != m.store().index();
      // the ready leader is looked at every second too: an overlap must end even when nothing commits
      boolean due = m.leading() && sim.now() - lastLeaderLook >= 1000;
      if (changed || due) {
        checkedStore.put(m.id(), m.store().index());
        addressesUnique(m);
        Map<String, String> o = overlaps(m);
        if (m.leading()) {
          lastLeaderLook = sim.now();
          overlapsEnd(m, o);
        }
      }
    }
    for (; acksChecked < acks.size(); acksChecked++) {
      Ack a = acks.get(acksChecked);
      if (a.index() > committed.size() || committed.get((int) a.index() - 1).id() != a.entryId()) {
        throw fail("acknowledged entry " + a + " is not in the committed log");
      }
    }
    Map<String, String> where = new TreeMap<>();
    for (SimAgent a : cluster.agents()) {
      for (String t : a.runningContainers()) {
        String other = where.put(t, a.id());
        if (other != null) throw fail("task " + t + " runs on " + other + " and " + a.id());
      }
    }
  }

  /** A new leader's log holds every entry acknowledged before any member reached its term. */
  private void leaderCompleteness(SimManager leader) {
    RaftMember r = leader.raft();
    for (Ack a : acks) {
      if (a.maxTerm() >= r.term()) continue;
      Entry e = r.entry(a.index());
      if (e == null || e.id() != a.entryId()) {
        throw fail("leader " + leader.id() + " of term " + r.term() + " lacks acknowledged entry " + a);
      }
    }
  }

  /**
   * Slots that run more than one wanted task on live nodes, in {@code m}'s store. A slot of a
   * stop-first service (neither update nor rollback order is start-first) must never; a
   * start-first one may run one task per spec, and {@link #overlapsEnd} bounds how long.
   * Returns slot key -> one of its task ids, for start-first overlaps only; throws for the rest.
   */
  private Map<String, String> overlaps(SimManager m) {
    Map<String, String> startFirstOverlaps = new TreeMap<>();
    String problem = m.store().view(tx -> {
      Map<String, Node> nodes = new TreeMap<>();
      for (Node n : tx.nodes()) nodes.put(n.id(), n);
      Map<String, List<Task>> slots = new TreeMap<>();
      for (Task t : tx.tasks()) {
        if (t.state() != TaskState.RUNNING || t.desiredState().compareTo(TaskState.RUNNING) > 0) continue;
        if (NodeAvailability.lost(nodes.get(t.nodeID()))) continue;
        Service s = tx.service(t.serviceID());
        if (s == null || s.spec().modeOrDefault().isJob()) continue;
        // a global service's "slot" is its node
        String slot = s.spec().modeOrDefault().isGlobal() ? "@" + t.nodeID() : "." + t.slot();
        slots.computeIfAbsent(t.serviceID() + slot, k -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<String, List<Task>> e : slots.entrySet()) {
        List<Task> l = e.getValue();
        if (l.size() <= 1) continue;
        Service s = tx.service(l.get(0).serviceID());
        boolean startFirst = UpdateConfig.START_FIRST.equals(s.spec().updateConfigOrDefault().orderOrDefault())
            || UpdateConfig.START_FIRST.equals(s.spec().rollbackConfigOrDefault().orderOrDefault());
        boolean onePerSpec = l.stream().map(Task::spec).distinct().count() == l.size();
        if (startFirst && onePerSpec) {
          startFirstOverlaps.put(e.getKey(), l.get(0).id());
          continue;
        }
        return "slot " + e.getKey() + " (" + s.spec().name() + ", " + (startFirst ? "start-first" : "stop-first")
            + ") runs " + l.size() + " tasks at once; its history:" + history(tx, s, l.get(0), nodes);
      }
      return null;
    });
    if (problem != null) throw fail("on " + m.id() + ": " + problem);
    return startFirstOverlaps;
  }

  private static String history(io.shoal.store.ReadTx tx, Service s, Task one, Map<String, Node> nodes) {
    boolean global = s.spec().modeOrDefault().isGlobal();
    StringBuilder b = new StringBuilder();
    for (Task t : tx.tasksOfService(s.id())) {
      if (global ? Objects.equals(t.nodeID(), one.nodeID()) : t.slot() == one.slot()) {
        b.append("\n      ").append(describe(t, t.nodeID() == null ? null : nodes.get(t.nodeID())));
      }
    }
    return b.toString();
  }

  /**
   * A start-first overlap ends once the new task runs and the leader tells the old ones to stop:
   * on a ready leader's store it may last {@link #OVERLAP_GRACE_MS}, counted from when this leader
   * first showed it (a leaderless spell cannot stop anything, and does not count).
   */
  private void overlapsEnd(SimManager leader, Map<String, String> now) {
    // a new term starts the clock again, even with the same manager leading: time without a ready
    // leader, when nothing can be told to stop, does not count
    String epoch = leader.id() + "/" + leader.raft().term();
    if (!epoch.equals(overlapLeader)) {
      overlapLeader = epoch;
      overlapSince.clear();
    }
    overlapSince.keySet().retainAll(now.keySet());
    for (Map.Entry<String, String> e : now.entrySet()) {
      long since = overlapSince.computeIfAbsent(e.getKey(), k -> sim.now());
      if (sim.now() - since > OVERLAP_GRACE_MS) {
        String history = leader.store().view(tx -> {
          Task one = tx.task(e.getValue());
          Map<String, Node> nodes = new TreeMap<>();
          for (Node n : tx.nodes()) nodes.put(n.id(), n);
          return history(tx, tx.service(one.serviceID()), one, nodes);
        });
        throw fail("on " + leader.id() + ": start-first slot " + e.getKey() + " has run old and new tasks together for "
            + (sim.now() - since) + " ms; its history:" + history);
      }
    }
  }

  static String describe(Task t, Node n) {
    String image = t.spec().containerSpec() == null ? "?" : t.spec().containerSpec().image();
    return t.id().substring(0, 6) + " v" + t.version().index() + " created " + t.createdAt() + " on " + t.nodeID()
        + (n == null ? "(gone)" : "(" + (n.status() == null ? "?" : n.status().state()) + "," + n.spec().availabilityOrActive() + ")") + " " + t.state()
        + (t.status().err() == null ? "" : " [" + t.status().err() + "]")
        + " desired " + t.desiredState() + " " + image + " specVersion " + (t.specVersion() == null ? "-" : t.specVersion().index());
  }

  /** The tasks an entry updates, as the store holds them before it applies. */
  static Map<String, Task> touchedTasks(MemoryStore store, Proposal p) {
    Map<String, Task> out = new TreeMap<>();
    store.view(tx -> {
      for (StoreAction a : p.actions()) {
        if (a.kind() == StoreObject.Kind.TASK && a.op() == StoreAction.Op.UPDATE) {
          Task t = tx.task(a.id());
          if (t != null) out.put(t.id(), t);
        }
      }
      return null;
    });
    return out;
  }

  /** At every apply: tasks only move forward, desired states too, and never change node. */
  void applied(SimManager m, long index, Map<String, Task> before) {
    if (before.isEmpty()) return;
    m.store().view(tx -> {
      before.forEach((id, old) -> {
        Task now = tx.task(id);
        if (now == null) return;
        if (now.state().before(old.state())) throw fail(m.id() + " index " + index + ": task " + id + " went back from " + old.state() + " to " + now.state());
        if (now.desiredState().before(old.desiredState())) throw fail(m.id() + " index " + index + ": task " + id + " desired went back from " + old.desiredState() + " to " + now.desiredState());
        if (old.nodeID() != null && !old.nodeID().isEmpty() && !old.nodeID().equals(now.nodeID())) throw fail(m.id() + " index " + index + ": task " + id + " moved from " + old.nodeID() + " to " + now.nodeID());
      });
      return null;
    });
  }

  /** Applied state equals a replay of the committed log, on every manager that is up. */
  void checkReplay() {
    for (SimManager m : cluster.managers()) {
      if (!m.isUp()) continue;
      MemoryStore fresh = new MemoryStore(sim.clock());
      RaftMember r = m.raft();
      for (long i = 1; i <= r.lastApplied(); i++) {
        Entry e = r.entry(i);
        if (e.noop()) continue;
        try {
          fresh.apply(e.proposal(), i);
        } catch (io.shoal.api.error.ShoalException refused) {
          // refused everywhere alike
        }
      }
      if (!contents(fresh).equals(contents(m.store()))) throw fail(m.id() + "'s store differs from a replay of its log up to " + r.lastApplied());
    }
  }

  private static List<StoreObject> contents(MemoryStore s) {
    return s.view(tx -> {
      List<StoreObject> all = new ArrayList<>();
      for (StoreObject.Kind k : StoreObject.Kind.values()) all.addAll(tx.<StoreObject>all(k));
      all.sort(Comparator.comparing((StoreObject o) -> o.kind().name()).thenComparing(StoreObject::id));
      return all;
    });
  }

  /**
   * <b>No address handed out twice</b>: in a manager's store, no two holders of a network's
   * address at once — live task attachments (actual state at most RUNNING), VIPs, node gateways.
   */
  private void addressesUnique(SimManager m) {
    String dup = m.store().view(tx -> {
      Map<String, String> holder = new TreeMap<>();
      for (Service s : tx.services()) {
        if (s.endpoint() == null || s.endpoint().virtualIPs() == null) continue;
        for (var v : s.endpoint().virtualIPs()) {
          String prev = holder.put(v.networkID() + " " + bare(v.addr()), "VIP of " + s.id());
          if (prev != null) return v.addr() + " held by " + prev + " and VIP of " + s.id();
        }
      }
      for (Task t : tx.tasks()) {
        if (t.state().compareTo(TaskState.RUNNING) > 0) continue;
        for (var a : t.attachmentsOrEmpty()) {
          String prev = holder.put(a.networkID() + " " + a.address(), "task " + t.id());
          if (prev != null) return a.address() + " on " + a.networkID() + " held by " + prev + " and task " + t.id();
        }
      }
      return null;
    });
    if (dup != null) throw fail(m.id() + ": address handed out twice: " + dup);
  }

  private static String bare(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /** Null when converged; else what is still wrong. Checked on the leader's store. */
  public String converged() {
    SimManager leader = cluster.leader();
    if (leader == null || !leader.leading()) return "no ready leader";
    Map<String, List<Task>> running = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    leader.store().view(tx -> {
      // no endpoint left for a dead task: every endpoint any node's view holds is a container
      // that runs (on a node that is up) or a task still on its way there
      var index = NetworkViews.index(tx);
      for (SimAgent a : cluster.agents()) {
        if (!a.isUp()) continue;
        Set<String> runs = a.runningContainers();
        for (var e : index.forNode(a.id()).endpoints()) {
          Task t = tx.task(e.taskId());
          if (t == null || !NetworkViews.live(t)) problems.add("view of " + a.id() + " holds an endpoint of dead task " + e.taskId());
          else if (e.nodeId().equals(a.id()) && t.state() == TaskState.RUNNING && !runs.contains(e.taskId())) {
            problems.add("view of " + a.id() + " holds an endpoint of " + e.taskId() + ", which does not run there");
          }
        }
      }
      for (SimAgent a : cluster.agents()) {
        if (!a.isUp()) continue;
        Node n = tx.node(a.id());
        if (n == null || !n.isReady()) problems.add(a.id() + " is not READY");
        else if (!Node.NodeSpec.ACTIVE.equals(n.spec().availabilityOrActive())) problems.add(a.id() + " is still " + n.spec().availabilityOrActive());
        for (String id : a.runningContainers()) {
          Task t = tx.task(id);
          if (t == null || t.desiredState().compareTo(TaskState.RUNNING) > 0) problems.add(a.id() + " still runs unwanted task " + id);
          else running.computeIfAbsent(t.serviceID(), k -> new ArrayList<>()).add(t);
        }
      }
      for (Service s : tx.services()) {
        var mode = s.spec().modeOrDefault();
        if (mode.isJob()) continue;
        List<Task> l = running.getOrDefault(s.id(), List.of());
        if (mode.isGlobal()) {
          // one task on every live, active node (the quiet period makes every node active again)
          long nodes = l.stream().map(Task::nodeID).distinct().count();
          long live = cluster.agents().stream().filter(a -> a.isUp() && tx.node(a.id()) != null
              && Node.NodeSpec.ACTIVE.equals(tx.node(a.id()).spec().availabilityOrActive())).count();
          if (l.size() != live || nodes != live) {
            StringBuilder b = new StringBuilder("global service " + s.spec().name() + " runs " + l.size() + " containers on "
                + nodes + " of " + live + " nodes; its tasks:");
            for (Task t : tx.tasksOfService(s.id())) b.append("\n      ").append(describe(t, tx.node(t.nodeID())));
            problems.add(b.toString());
          }
          continue;
        }
        long slots = l.stream().map(Task::slot).distinct().count();
        if (l.size() != mode.replicaCount() || slots != l.size()) {
          StringBuilder b = new StringBuilder("service " + s.spec().name() + " runs " + l.size() + " containers in " + slots
              + " slots, wants " + mode.replicaCount() + "; update " + (s.updateStatus() == null ? "-" : s.updateStatus().state() + " (" + s.updateStatus().message() + ")")
              + "; its tasks:");
          for (Task t : tx.tasksOfService(s.id())) b.append("\n      slot ").append(t.slot()).append(' ').append(describe(t, tx.node(t.nodeID())));
          problems.add(b.toString());
        }
      }
      return null;
    });
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

}
