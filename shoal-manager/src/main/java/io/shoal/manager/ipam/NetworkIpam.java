package io.shoal.manager.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A new network's subnet, gateway, IP range and VNI, pure: from the request's IPAM config
 * ({@code --subnet/--gateway/--ip-range}) or else the first block of the cluster's default pool
 * ({@code swarm init --default-addr-pool}, 10.0.0.0/8 by default, in blocks of
 * {@code --default-addr-pool-mask-length}, /24 by default) that no other network holds.
 *
 * <p>Unlike Docker, which accepts a subnet overlapping another network's and leaves it unusable,
 * an overlap is refused with the other network's name: two networks sharing addresses would route
 * each other's traffic into the wrong bridge.
 */
public final class NetworkIpam {
  /** Docker's first overlay VNI. */
  public static final int FIRST_VNI = 4096;
  /** The largest VXLAN network identifier (24 bits). */
  public static final int MAX_VNI = (1 << 24) - 1;
  public static final String VXLANID_OPTION = "com.docker.network.driver.overlay.vxlanid_list";
  public static final List<String> DEFAULT_POOL = List.of("10.0.0.0/8");
  public static final int DEFAULT_SUBNET_SIZE = 24;

  private NetworkIpam() {}

  /**
   * @param existing the networks there are now (their allocations are what is taken)
   * @throws ShoalException.InvalidSpec on a bad or overlapping subnet, an exhausted pool or VNI
   */
  public static NetworkAllocation allocate(String name, JsonNode ipam, Map<String, String> options,
      List<String> pools, int subnetSize, List<Network> existing) {
    List<Network> others = existing.stream().filter(n -> n.allocation() != null).toList();
    JsonNode configs = field(ipam, "Config");
    List<JsonNode> list = new ArrayList<>();
    if (configs != null && configs.isArray()) configs.forEach(list::add);
    for (JsonNode c : list) {
      if (text(c, "Subnet").contains(":")) {
        throw invalid("network " + name + ": IPv6 subnets are not supported (" + text(c, "Subnet")
            + "): Shoal's overlay networks are IPv4 only");
      }
    }
    if (list.size() > 1) {
      throw invalid("network " + name + ": only one IPAM config (one --subnet) per network is supported");
    }
    Cidr subnet;
    String gateway;
    String range = null;
    if (list.isEmpty() || text(list.get(0), "Subnet").isEmpty()) {
      if (!list.isEmpty() && (!text(list.get(0), "Gateway").isEmpty() || !text(list.get(0), "IPRange").isEmpty())) {
        throw invalid("network " + name + ": --gateway and --ip-range need --subnet");
      }
      subnet = fromPool(name, pools, subnetSize, others);
      gateway = Cidr.format(subnet.base() + 1);
    } else {
      JsonNode c = list.get(0);
      String s = text(c, "Subnet");
      subnet = Cidr.parse(s);
      if (subnet == null) throw invalid("network " + name + ": invalid subnet " + s + " (IPv4 CIDR only)");
      if (subnet.prefix() > 30) throw invalid("network " + name + ": subnet " + s + " is too small: /30 at most");
      for (Network o : others) {
        Cidr theirs = Cidr.parse(o.allocation().subnet());
        if (theirs.overlaps(subnet)) {
          throw invalid("network " + name + ": subnet " + s + " overlaps network " + o.name() + " (" + o.id() + ") with subnet "
              + o.allocation().subnet());
        }
      }
      String g = text(c, "Gateway");
      if (g.isEmpty()) {
        gateway = Cidr.format(subnet.base() + 1);
      } else {
        long ga = Cidr.address(g);
        if (ga < 0 || !subnet.contains(ga)) throw invalid("network " + name + ": subnet " + s + " does not contain gateway " + g);
        if (ga == subnet.base() || ga == subnet.last()) {
          throw invalid("network " + name + ": gateway " + g + " is the network or broadcast address of " + s);
        }
        gateway = g;
      }
      String r = text(c, "IPRange");
      if (!r.isEmpty()) {
        Cidr rc = Cidr.parse(r);
        if (rc == null) throw invalid("network " + name + ": invalid range " + r);
        if (!subnet.contains(rc.base()) || !subnet.contains(rc.last())) {
          throw invalid("network " + name + ": subnet " + s + " does not contain range " + r);
        }
        range = rc.toString();
      }
    }
    return new NetworkAllocation(subnet.toString(), gateway, range, vni(name, options, others), Map.of());
  }

  private static Cidr fromPool(String name, List<String> pools, int size, List<Network> others) {
    List<Cidr> taken = others.stream().map(o -> Cidr.parse(o.allocation().subnet())).toList();
    for (String p : pools == null || pools.isEmpty() ? DEFAULT_POOL : pools) {
      Cidr pool = Cidr.parse(p);
      if (pool == null || size < pool.prefix() || size > 30) continue;
      long step = 1L << (32 - size);
      for (long b = pool.base(); b + step - 1 <= pool.last(); ) {
        Cidr cand = new Cidr(b, size);
        Cidr clash = null;
        for (Cidr t : taken) {
          if (t.overlaps(cand)) {
            clash = t;
            break;
          }
        }
        if (clash == null) return cand;
        // jump past the clash: every block up to its end overlaps it too
        long next = Math.max(b + step, ((clash.last() + 1 + step - 1) / step) * step);
        b = next;
      }
    }
    throw invalid("network " + name + ": could not find an available, non-overlapping IPv4 address pool among the"
        + " defaults to assign to the network (pool " + String.join(",", pools == null || pools.isEmpty() ? DEFAULT_POOL : pools)
        + " in /" + size + " blocks is exhausted)");
  }

  private static int vni(String name, Map<String, String> options, List<Network> others) {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (Network o : others) used.add(o.allocation().vni());
    String asked = options == null ? null : options.get(VXLANID_OPTION);
    if (asked != null && !asked.isEmpty()) {
      int v;
      try {
        v = Integer.parseInt(asked.trim());
      } catch (NumberFormatException e) {
        throw invalid("network " + name + ": " + VXLANID_OPTION + "=" + asked + ": one VNI (a number) per network is supported");
      }
      if (v < 1 || v > MAX_VNI) throw invalid("network " + name + ": VNI " + v + " is out of range (1-" + MAX_VNI + ")");
      if (used.contains(v)) throw invalid("network " + name + ": VNI " + v + " is in use by another network");
      return v;
    }
    for (int v = FIRST_VNI; v <= MAX_VNI; v++) if (!used.contains(v)) return v;
    throw invalid("network " + name + ": no free VNI left");
  }

  private static ShoalException.InvalidSpec invalid(String desc) {
    return new ShoalException.InvalidSpec("rpc error: code = InvalidArgument desc = " + desc);
  }

  private static JsonNode field(JsonNode n, String name) {
    if (n == null || !n.isObject()) return null;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return null;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = field(n, name);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
