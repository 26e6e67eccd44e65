package io.shoal.network.vip;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns rulesets into {@code nft -f} input, pure: the whole table (first load, or to repair
 * after a failed update), or only what changed between two rulesets — new chains created, changed
 * chains flushed and refilled, map elements deleted and added, unused chains deleted last — so an
 * update with 1,000 services touches only the services that changed. Each script is one nft
 * transaction: it applies entirely or not at all.
 */
public final class NftScript {
  private NftScript() {}

  /** The table from scratch, replacing whatever a table of that name holds. */
  public static String full(String table, Ruleset r) {
    StringBuilder s = new StringBuilder();
    s.append("add table ip ").append(table).append('\n');
    s.append("delete table ip ").append(table).append('\n');
    s.append("table ip ").append(table).append(" {\n");
    s.append("  map vips { type ipv4_addr : verdict; }\n");
    s.append("  map mesh { type inet_proto . inet_service : verdict; }\n");
    // one notch before the engine's own nat chains (dstnat -100, srcnat 100), so a swarm address or port is ours first
    s.append("  chain prerouting { type nat hook prerouting priority -101; policy accept; jump services; }\n");
    s.append("  chain output { type nat hook output priority -101; policy accept; jump services; }\n");
    s.append("  chain postrouting { type nat hook postrouting priority 99; policy accept; jump " + NftModel.SNAT_CHAIN + "; }\n");
    s.append("  chain services {\n");
    s.append("    ip daddr vmap @vips\n");
    // loopback cannot be DNATed to another host's address: the userspace proxy serves 127.0.0.1
    s.append("    ip daddr != 127.0.0.0/8 fib daddr type local meta l4proto . th dport vmap @mesh\n");
    s.append("  }\n");
    for (var c : r.chains().entrySet()) {
      s.append("  chain ").append(c.getKey()).append(" {\n");
      for (String rule : c.getValue()) s.append("    ").append(rule).append('\n');
      s.append("  }\n");
    }
    s.append("}\n");
    appendElements(s, table, "vips", r.vips());
    appendElements(s, table, "mesh", r.mesh());
    return s.toString();
  }

  /** Only the changes from {@code from} to {@code to}; empty when nothing changed. */
  public static String diff(String table, Ruleset from, Ruleset to) {
    StringBuilder s = new StringBuilder();
    for (String c : to.chains().keySet()) {
      if (!from.chains().containsKey(c)) s.append("add chain ip ").append(table).append(' ').append(c).append('\n');
    }
    for (var c : to.chains().entrySet()) {
      List<String> old = from.chains().get(c.getKey());
      if (Objects.equals(old, c.getValue())) continue;
      if (old != null) s.append("flush chain ip ").append(table).append(' ').append(c.getKey()).append('\n');
      for (String rule : c.getValue()) {
        s.append("add rule ip ").append(table).append(' ').append(c.getKey()).append(' ').append(rule).append('\n');
      }
    }
    elementChanges(s, table, "vips", from.vips(), to.vips());
    elementChanges(s, table, "mesh", from.mesh(), to.mesh());
    // referenced chains go last, once no map element or rule points at them any more
    for (String c : from.chains().keySet()) {
      if (!to.chains().containsKey(c)) {
        s.append("flush chain ip ").append(table).append(' ').append(c).append('\n');
      }
    }
    for (String c : from.chains().keySet()) {
      if (!to.chains().containsKey(c)) s.append("delete chain ip ").append(table).append(' ').append(c).append('\n');
    }
    return s.toString();
  }

  public static String delete(String table) {
    return "add table ip " + table + "\ndelete table ip " + table + "\n";
  }

  private static void elementChanges(StringBuilder s, String table, String map, Map<String, String> from, Map<String, String> to) {
    for (var e : from.entrySet()) {
      String now = to.get(e.getKey());
      if (now == null || !now.equals(e.getValue())) {
        s.append("delete element ip ").append(table).append(' ').append(map).append(" { ").append(e.getKey()).append(" }\n");
      }
    }
    for (var e : to.entrySet()) {
      if (!e.getValue().equals(from.get(e.getKey()))) {
        s.append("add element ip ").append(table).append(' ').append(map).append(" { ")
            .append(e.getKey()).append(" : ").append(e.getValue()).append(" }\n");
      }
    }
  }

  private static void appendElements(StringBuilder s, String table, String map, Map<String, String> elements) {
    if (elements.isEmpty()) return;
    s.append("add element ip ").append(table).append(' ').append(map).append(" { ");
    boolean first = true;
    for (var e : elements.entrySet()) {
      if (!first) s.append(", ");
      first = false;
      s.append(e.getKey()).append(" : ").append(e.getValue());
    }
    s.append(" }\n");
  }
}
