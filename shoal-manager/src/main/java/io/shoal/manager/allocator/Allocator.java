package io.shoal.manager.allocator;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
import io.shoal.api.model.NetworkAttachment;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.manager.Component;
import io.shoal.manager.PlanCommitter;
import io.shoal.manager.ipam.AddressSpace;
import io.shoal.manager.ipam.NetworkIpam;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.WriteTx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moves new tasks to PENDING once their network resources are settled: each task carries its
 * service's endpoint (ports and VIPs, decided with the service by {@link EndpointAllocator}) and
 * an address on every network its service is attached to. A task whose network is full stays NEW
 * with "pending: network X exhausted" and is tried again on every change and tick. Also gives
 * every node that needs one its own gateway address on a network (see {@link #needsGateway}).
 *
 * <p>Addresses are taken inside the store transaction that records them, reading every held
 * address from the store in that same transaction ({@link TakenAddresses}): the API edge hands out
 * VIPs concurrently, and a plan made outside the transaction could give one address twice. Tasks
 * without networks are planned outside, as before, so a large swarm without overlay networks
 * never pays for the scan.
 */
public final class Allocator extends Component {
  static final int BATCH = 200;
  private final Clock clock;

  public Allocator(MemoryStore store, Clock clock) {
    super("allocator", store, Duration.ofSeconds(5),
        e -> e.subject() instanceof Task || e.subject() instanceof Node || e.subject() instanceof Network);
    this.clock = clock;
  }

  @Override
  protected void reconcile(List<StoreEvent> events, boolean full) {
    List<String> needAddresses = new ArrayList<>();
    boolean[] gateways = {full};
    Plan plan = store.view(tx -> {
      Plan p = new Plan();
      List<Task> candidates = full ? tx.tasks() : events.stream()
          .filter(e -> e instanceof StoreEvent.Created || e instanceof StoreEvent.Updated)
          .filter(e -> e.subject() instanceof Task)
          .map(e -> tx.task(e.subject().id())).filter(Objects::nonNull).toList();
      for (Task t : candidates) {
        // a task placed on a node may need that node's gateway on its networks
        if (t.nodeID() != null && !t.nodeID().isEmpty() && lacksGateway(tx, t)) gateways[0] = true;
        if (t.state() != TaskState.NEW) continue;
        Service s = tx.service(t.serviceID());
        if (s == null) continue;
        if (needsAddresses(tx, t, s)) {
          needAddresses.add(t.id());
          continue;
        }
        p.update(t.withEndpoint(s.endpoint())
            .withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", clock.instant())));
      }
      if (events.stream().anyMatch(e -> !(e.subject() instanceof Task))) gateways[0] = true;
      return p;
    });
    PlanCommitter.commit(store, plan);
    for (int i = 0; i < needAddresses.size(); i += BATCH) {
      List<String> batch = needAddresses.subList(i, Math.min(needAddresses.size(), i + BATCH));
      retried(() -> store.update(tx -> allocateTasks(tx, batch, clock.instant())));
    }
    if (gateways[0]) retried(() -> store.update(this::allocateGateways));
  }

  /** A sequence conflict means another writer got in first: read again and retry at once. */
  private void retried(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (ShoalException.SequenceConflict e) {
        if (attempt >= 3) throw e;
      }
    }
  }

  /**
   * Gives the NEW tasks {@code ids} their addresses (or the exhausted message) in {@code tx}: the
   * leader's allocator and the simulation's both run this inside the write that records it.
   */
  public static void allocateTasks(WriteTx tx, List<String> ids, java.time.Instant now) {
    TakenAddresses taken = TakenAddresses.of(tx);
    Set<String> touched = new java.util.TreeSet<>();
    for (String id : ids) {
      Task t = tx.task(id);
      if (t == null || t.state() != TaskState.NEW) continue;
      Service s = tx.service(t.serviceID());
      if (s == null) continue;
      TaskAddresses.Result r = TaskAddresses.assign(EndpointAllocator.attachmentsOf(tx, s),
          nid -> tx.get(StoreObject.Kind.NETWORK, nid), taken);
      if (r.exhausted() != null) {
        String msg = "pending: network " + r.exhausted().name() + " exhausted (no free address in "
            + (r.exhausted().allocation() == null ? "its subnet" : r.exhausted().allocation().subnet()) + ")";
        if (!msg.equals(t.status().message())) tx.update(t.withStatus(TaskStatus.of(TaskState.NEW, msg, now)));
        continue;
      }
      r.attachments().forEach(a -> touched.add(a.networkID()));
      tx.update(t.withEndpoint(s.endpoint()).withNetworksAttachments(r.attachments())
          .withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", now)));
    }
    for (String n : touched) EndpointAllocator.touch(tx, n);
  }

  /** Whether a NEW task must get addresses (its service is attached to a network), not just go PENDING. */
  public static boolean needsAddresses(io.shoal.store.ReadTx tx, Task t, Service s) {
    return t.desiredState().compareTo(TaskState.RUNNING) <= 0 && !EndpointAllocator.attachmentsOf(tx, s).isEmpty();
  }

  /**
   * Gives each node that needs one its gateway address on a network, and drops those of nodes no
   * longer in the swarm. A node keeps its address while it is in the swarm, even when its last
   * task there is gone: addresses stay put (no churn of bridges and peers' entries) at the cost
   * of one address per node that ever had a task on the network.
   */
  private void allocateGateways(WriteTx tx) {
    Set<String> nodes = new HashSet<>();
    Set<String> ready = new HashSet<>();
    for (Node n : tx.nodes()) {
      nodes.add(n.id());
      if (n.isReady()) ready.add(n.id());
    }
    Map<String, Set<String>> withTasks = new TreeMap<>();
    for (Task t : tx.tasks()) {
      if (t.nodeID() == null || t.nodeID().isEmpty() || !TakenAddresses.holds(t)) continue;
      if (t.desiredState().compareTo(TaskState.RUNNING) > 0) continue;
      for (NetworkAttachment a : t.attachmentsOrEmpty()) withTasks.computeIfAbsent(a.networkID(), k -> new HashSet<>()).add(t.nodeID());
    }
    TakenAddresses taken = null;
    for (Network n : tx.networks()) {
      NetworkAllocation a = n.allocation();
      if (a == null) {
        // written before networks were allocated (an older store) or by a tool that skips the API
        try {
          var c = tx.cluster();
          a = NetworkIpam.allocate(n.name(), n.spec().ipam(), n.spec().options(), c == null ? null : c.defaultAddrPool(),
              c == null || c.subnetSize() == null ? NetworkIpam.DEFAULT_SUBNET_SIZE : c.subnetSize(), tx.networks());
          tx.update(n.withAllocation(a));
          n = n.withAllocation(a);
        } catch (ShoalException e) {
          log.warn("network {} ({}) cannot be allocated: {}", n.name(), n.id(), e.getMessage());
          continue;
        }
      }
      Map<String, String> gw = new TreeMap<>(a.nodeGateways());
      boolean changed = gw.keySet().retainAll(nodes);
      Set<String> want = new HashSet<>(withTasks.getOrDefault(n.id(), Set.of()));
      if (needsGateway(n)) want.addAll(ready);
      want.removeAll(gw.keySet());
      want.retainAll(nodes);
      if (!want.isEmpty()) {
        if (taken == null) taken = TakenAddresses.of(tx);
        AddressSpace space = AddressSpace.of(a);
        for (String node : new java.util.TreeSet<>(want)) {
          long addr = space.next(taken.of(n.id()));
          if (addr < 0) {
            log.warn("network {} ({}) has no free address for node {}'s gateway", n.name(), n.id(), node);
            break;
          }
          taken.of(n.id()).add(addr);
          gw.put(node, io.shoal.manager.ipam.Cidr.format(addr));
          changed = true;
        }
      }
      if (changed) tx.update(tx.<Network>get(StoreObject.Kind.NETWORK, n.id()).withAllocation(a.withNodeGateways(gw)));
    }
  }

  private static boolean lacksGateway(io.shoal.store.ReadTx tx, Task t) {
    for (NetworkAttachment a : t.attachmentsOrEmpty()) {
      Network n = tx.get(StoreObject.Kind.NETWORK, a.networkID());
      if (n != null && n.allocation() != null && !n.allocation().nodeGateways().containsKey(t.nodeID())) return true;
    }
    return false;
  }

  /** Every node gets a gateway on ingress (every node answers published ports) and attachable networks. */
  static boolean needsGateway(Network n) {
    return n.ingress() || Boolean.TRUE.equals(n.spec().attachable());
  }
}
