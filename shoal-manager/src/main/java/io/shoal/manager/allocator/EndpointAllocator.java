package io.shoal.manager.allocator;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.manager.ipam.AddressSpace;
import io.shoal.store.ReadTx;
import io.shoal.store.WriteTx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's endpoint, decided in the transaction that writes the service: its published ports
 * ({@link PortAllocator}) and a virtual IP on each network it is attached to, {@code ingress}
 * included when it publishes ingress ports ({@code vip} mode; none in {@code dnsrr} mode). A VIP
 * the service already had on a network is kept.
 *
 * <p>Synchronous, at the API edge, like the ports: a conflict or an exhausted network reaches the
 * user as the error of the request that caused it, and nothing is stored. Task addresses are
 * the {@link Allocator}'s (tasks are made by the orchestrator, not by a request).
 */
public final class EndpointAllocator {
  private EndpointAllocator() {}

  /** One network a service's tasks are attached to, with their aliases there. */
  public record Attachment(String networkId, List<String> aliases) {}

  /**
   * @param spec the service's spec with network targets resolved to ids
   * @param previous the service as it was (update), or null (create)
   */
  public static Endpoint allocate(WriteTx tx, ServiceSpec spec, Service previous) {
    Endpoint ports = PortAllocator.allocate(spec, previous, tx.services());
    List<Attachment> nets = attachments(tx, spec, ports, true);
    if (!"vip".equals(ports.spec().mode()) || nets.isEmpty()) return new Endpoint(ports.spec(), ports.ports(), null);
    Map<String, String> had = new LinkedHashMap<>();
    if (previous != null && previous.endpoint() != null && previous.endpoint().virtualIPs() != null) {
      for (Endpoint.VirtualIP v : previous.endpoint().virtualIPs()) had.put(v.networkID(), v.addr());
    }
    TakenAddresses taken = null;
    List<Endpoint.VirtualIP> vips = new ArrayList<>();
    java.util.Set<String> touched = new java.util.TreeSet<>();
    for (Attachment a : nets) {
      Network n = tx.get(StoreObject.Kind.NETWORK, a.networkId());
      String kept = had.get(a.networkId());
      if (kept != null) {
        vips.add(new Endpoint.VirtualIP(a.networkId(), kept));
        continue;
      }
      if (n.allocation() == null) {
        throw new ShoalException.Unavailable("network " + n.name() + " (" + n.id() + ") has no subnet allocated yet; retry");
      }
      if (taken == null) taken = TakenAddresses.of(tx);
      AddressSpace space = AddressSpace.of(n.allocation());
      Set<Long> used = taken.of(n.id());
      long addr = space.next(used);
      if (addr < 0) {
        throw new ShoalException.InvalidSpec("rpc error: code = ResourceExhausted desc = network " + n.name() + " (" + n.id()
            + ") has no free address left for the virtual IP of service " + spec.name() + " (subnet "
            + n.allocation().subnet() + ")");
      }
      used.add(addr);
      vips.add(new Endpoint.VirtualIP(n.id(), space.withPrefix(addr)));
      touched.add(n.id());
    }
    for (String id : touched) touch(tx, id);
    return new Endpoint(ports.spec(), ports.ports(), vips);
  }

  /**
   * Writes the network unchanged, so its version moves: every write that takes addresses of a
   * network does, and of two such writes built on the same version (say a VIP chosen on a
   * follower while the leader's allocator picks task addresses) raft's apply rejects the second
   * as out of sequence, on every replica, instead of storing one address twice.
   */
  static void touch(WriteTx tx, String networkId) {
    Network n = tx.get(StoreObject.Kind.NETWORK, networkId);
    if (n != null) tx.update(n);
  }

  /**
   * The networks tasks of a service attach to: its own (task template's, else the service's),
   * then {@code ingress} (if there is one) when it publishes a port in ingress mode. Refuses an
   * explicit {@code ingress} attachment in Docker's words.
   */
  public static List<Attachment> attachments(ReadTx tx, ServiceSpec spec, Endpoint endpoint, boolean strict) {
    List<NetworkAttachmentConfig> asked = spec.taskTemplate() != null && spec.taskTemplate().networks() != null
        && !spec.taskTemplate().networks().isEmpty() ? spec.taskTemplate().networks() : spec.networks();
    Map<String, Attachment> out = new LinkedHashMap<>();
    if (asked != null) {
      for (NetworkAttachmentConfig c : asked) {
        Network n = tx.get(StoreObject.Kind.NETWORK, c.target());
        if (n == null && !strict) continue;
        if (n == null) throw new ShoalException.NotFound("network " + c.target() + " not found");
        if (n.ingress() && !strict) continue;
        if (n.ingress()) {
          throw new ShoalException.InvalidSpec("rpc error: code = InvalidArgument desc = Service cannot be explicitly attached to the \""
              + n.name() + "\" network which is a special network only used for ingress traffic");
        }
        if (out.containsKey(n.id()) && !strict) continue;
        if (out.containsKey(n.id())) {
          throw new ShoalException.InvalidSpec("rpc error: code = InvalidArgument desc = duplicate network attachment: service "
              + spec.name() + " is attached to network " + n.name() + " more than once");
        }
        out.put(n.id(), new Attachment(n.id(), c.aliases() == null ? List.of() : c.aliases()));
      }
    }
    boolean ingressPorts = endpoint != null && endpoint.portsOrEmpty().stream()
        .anyMatch(p -> PortConfig.INGRESS.equals(p.publishModeOrDefault()));
    Network ingress = ingressPorts ? ingress(tx) : null;
    // Docker refuses ingress ports when the ingress network was removed; Shoal publishes them
    // without it (the userspace mesh reaches tasks at their node's address), which also keeps
    // stores made without swarm init (tests, simulations) working
    if (ingress != null) out.put(ingress.id(), new Attachment(ingress.id(), List.of()));
    return new ArrayList<>(out.values());
  }

  /**
   * The attachments of an existing service, as its tasks get them: what is still there of what
   * was checked when the service was written (a network cannot go while a service uses it).
   */
  public static List<Attachment> attachmentsOf(ReadTx tx, Service s) {
    return attachments(tx, s.spec(), s.endpoint(), false);
  }

  public static Network ingress(ReadTx tx) {
    for (Network n : tx.networks()) if (n.ingress()) return n;
    return null;
  }
}
