package io.shoal.network.vip;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.network.ip.Cidr;
import io.shoal.network.node.NodeNetworking;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VIPs and the routing mesh in the kernel: keeps Shoal's nftables table equal to
 * {@link NftModel#desired} for every view (incremental {@code nft -f} scripts; the whole table
 * again when an update fails), and each VIP answerable inside its network by holding it as a
 * {@code /32} on the interface that holds this node's gateway address there (the network's
 * bridge): the host then answers ARP for it, so containers' packets to the VIP reach the
 * prerouting chain.
 *
 * <p>Hairpin: with br_netfilter (which the engine turns on) a container's packet to a VIP is
 * DNATed while still being bridged; when the backend chosen is the caller itself the frame must
 * leave by the port it came in, which a bridge refuses unless the port is in hairpin mode (the
 * engine does the same for its own ports without its userland proxy). So every veth port of a
 * network's bridge is put in hairpin mode, at every view and every 2 s for new containers; the
 * VXLAN port never is (a flood reflected to the peers would loop).
 *
 * <p>Threading: {@link #apply} is called serially (by {@link NodeNetworking}).
 */
public final class KernelBalancer implements NodeNetworking.Consumer {
  private static final Logger log = LoggerFactory.getLogger(KernelBalancer.class);
  private final String table;
  private final Commands cmd;
  private final Supplier<Set<String>> refusedPorts;
  private Ruleset current;
  /** VIP addresses this balancer added, per device, so only those are ever removed. */
  private final Map<String, Set<String>> vipAddrs = new HashMap<>();
  private long lastUpdateNanos;
  private Set<String> devices = Set.of();
  private List<String> lastAddressKey = List.of("none yet");
  private NodeNetworkView lastView;
  /** Whether this balancer ever loaded the table: only then is it its to remove. */
  private boolean loaded;
  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shoal-vip-hairpin");
        t.setDaemon(true);
        return t;
      });

  /**
   * @param table the nftables table's name ({@code shoal}; tests use their own)
   * @param refusedPorts published ports ({@code 8080/tcp}) this node must not take (held by another program)
   */
  public KernelBalancer(String table, Commands cmd, Supplier<Set<String>> refusedPorts) {
    this.table = table;
    this.cmd = cmd;
    this.refusedPorts = refusedPorts;
    timer.scheduleWithFixedDelay(this::tick, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public synchronized void apply(NodeNetworkView view, Set<String> stopping) {
    Ruleset want = NftModel.desired(view, stopping, refusedPorts.get());
    long t0 = System.nanoTime();
    try {
      if (current == null) {
        cmd.run(NftScript.full(table, want), "nft", "-f", "-");
      } else {
        String diff = NftScript.diff(table, current, want);
        if (!diff.isEmpty()) {
          try {
            cmd.run(diff, "nft", "-f", "-");
          } catch (IOException e) {
            log.warn("nft: incremental update failed, loading the whole table: {}", e.getMessage());
            cmd.run(NftScript.full(table, want), "nft", "-f", "-");
          }
        }
      }
      current = want;
      loaded = true;
      lastUpdateNanos = System.nanoTime() - t0;
    } catch (IOException e) {
      current = null; // next view loads the whole table
      log.error("nft: cannot load table {}: {}", table, e.getMessage());
    }
    // addresses and hairpin only move with networks and VIPs, not with tasks: a task stopping
    // costs one nft transaction and no other process
    lastView = view;
    List<String> key = addressKey(view);
    if (!key.equals(lastAddressKey)) {
      boolean complete = syncVipAddresses(view);
      hairpin();
      // a bridge the data path has not made yet: tried again by the timer
      lastAddressKey = complete ? key : List.of("incomplete");
    }
  }

  /** Every 2 s: VIP addresses (a bridge made late or made again), and hairpin for new ports. */
  private synchronized void tick() {
    // also after an engine restart made a bridge again without the VIPs
    if (lastView != null) lastAddressKey = syncVipAddresses(lastView) ? addressKey(lastView) : List.of("incomplete");
    hairpin();
  }

  private static List<String> addressKey(NodeNetworkView view) {
    List<String> k = new ArrayList<>();
    view.networks().forEach(n -> k.add(n.id() + "=" + n.gateway()));
    view.services().forEach(s -> s.vips().forEach(v -> k.add(s.endpointMode() + ":" + v.networkId() + "=" + v.address())));
    return k;
  }

  /** Puts every veth port of the networks' bridges in hairpin mode (sysfs; one shell for all). */
  private synchronized void hairpin() {
    if (devices.isEmpty()) return;
    StringBuilder script = new StringBuilder();
    for (String dev : devices) {
      if (!dev.matches("[A-Za-z0-9_.-]+")) continue;
      script.append("for p in /sys/class/net/").append(dev).append("/brif/*; do [ -e \"$p\" ] || continue; ")
          .append("n=${p##*/}; grep -q DEVTYPE=vxlan /sys/class/net/$n/uevent 2>/dev/null && continue; ")
          .append("[ \"$(cat $p/hairpin_mode)\" = 1 ] || echo 1 > $p/hairpin_mode; done\n");
    }
    try {
      cmd.run(script.toString(), "sh", "-s");
    } catch (IOException e) {
      log.debug("hairpin: {}", e.getMessage());
    }
  }

  /** How long the last table update took (for the benchmark). */
  public synchronized long lastUpdateNanos() {
    return lastUpdateNanos;
  }

  /** Returns false when some network's bridge does not exist (yet). */
  private boolean syncVipAddresses(NodeNetworkView view) {
    Map<String, Set<String>> actual = addresses();
    Map<String, String> deviceOfNet = new HashMap<>();
    boolean complete = true;
    for (NetworkInfo n : view.networks()) {
      if (n.gateway() == null || n.gateway().isEmpty()) continue;
      String gw = Cidr.parse(n.gateway()).ip();
      String dev = actual.entrySet().stream().filter(e -> e.getValue().contains(gw)).map(Map.Entry::getKey).findFirst().orElse(null);
      if (dev != null) deviceOfNet.put(n.id(), dev);
      else complete = false;
    }
    devices = Set.copyOf(deviceOfNet.values());
    Map<String, Set<String>> want = new HashMap<>();
    view.services().forEach(s -> s.vips().forEach(v -> {
      String dev = deviceOfNet.get(v.networkId());
      if (dev != null && !"dnsrr".equals(s.endpointMode())) want.computeIfAbsent(dev, k -> new TreeSet<>()).add(Cidr.parse(v.address()).ip());
    }));
    for (var e : want.entrySet()) {
      Set<String> have = vipAddrs.computeIfAbsent(e.getKey(), k -> new HashSet<>());
      have.retainAll(actual.getOrDefault(e.getKey(), Set.of())); // a bridge made again lost them
      for (String a : e.getValue()) {
        if (have.contains(a)) continue;
        try {
          cmd.run(null, "ip", "addr", "replace", a + "/32", "dev", e.getKey());
          have.add(a);
        } catch (IOException ex) {
          log.warn("vip: cannot add {} to {}: {}", a, e.getKey(), ex.getMessage());
        }
      }
    }
    for (var e : vipAddrs.entrySet()) {
      Set<String> keep = want.getOrDefault(e.getKey(), Set.of());
      e.getValue().removeIf(a -> {
        if (keep.contains(a)) return false;
        try {
          cmd.run(null, "ip", "addr", "del", a + "/32", "dev", e.getKey());
        } catch (IOException ex) {
          log.debug("vip: {} already gone from {}: {}", a, e.getKey(), ex.getMessage());
        }
        return true;
      });
    }
    return complete;
  }

  /** Device → its IPv4 addresses, from one {@code ip -o -4 addr show}. */
  private Map<String, Set<String>> addresses() {
    Map<String, Set<String>> out = new HashMap<>();
    try {
      for (String line : cmd.run(null, "ip", "-o", "-4", "addr", "show").split("\n")) {
        String[] f = line.trim().split("\\s+");
        for (int i = 0; i + 1 < f.length; i++) {
          if (f[i].equals("inet")) {
            String a = f[i + 1];
            out.computeIfAbsent(f[1], k -> new HashSet<>()).add(a.contains("/") ? a.substring(0, a.indexOf('/')) : a);
          }
        }
      }
    } catch (IOException e) {
      log.debug("ip addr show: {}", e.getMessage());
    }
    return out;
  }

  /** Removes the table and the VIP addresses this balancer added. */
  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (loaded) {
      try {
        cmd.run(NftScript.delete(table), "nft", "-f", "-");
      } catch (IOException e) {
        log.warn("nft: cannot remove table {}: {}", table, e.getMessage());
      }
    }
    loaded = false;
    vipAddrs.forEach((dev, addrs) -> addrs.forEach(a -> {
      try {
        cmd.run(null, "ip", "addr", "del", a + "/32", "dev", dev);
      } catch (IOException ignored) {
        // the device went with its network
      }
    }));
    vipAddrs.clear();
    current = null;
    lastAddressKey = List.of("none yet");
  }
}
