package io.shoal.network.overlay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.network.overlay.OverlayState.Fdb;
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Neigh;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel shell: reads Shoal's links, FDB and neighbour entries with {@code ip -j} and
 * {@code bridge -j}, and carries out the planner's kernel operations with {@code ip},
 * {@code bridge} and {@code iptables}. Parsing is static and tested on recorded output.
 */
public final class LinkShell {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_MAC = "00:00:00:00:00:00";

  private final CommandRunner cmd;

  public LinkShell(CommandRunner cmd) {
    this.cmd = cmd;
  }

  public List<Link> links() throws IOException {
    return parseLinks(cmd.run(List.of("ip", "-j", "-d", "link", "show")));
  }

  public List<Fdb> fdb(String dev) throws IOException {
    return parseFdb(dev, cmd.run(List.of("bridge", "-j", "fdb", "show", "dev", dev)));
  }

  public List<Neigh> neigh(String dev) throws IOException {
    return parseNeigh(dev, cmd.run(List.of("ip", "-j", "neigh", "show", "dev", dev)));
  }

  /** Bridges with Shoal's DOCKER-USER accept rule; none when the chain or iptables is absent. */
  public Set<String> acceptRules() {
    try {
      return parseAcceptRules(cmd.run(List.of("iptables", "-w", "-S", "DOCKER-USER")));
    } catch (IOException noChain) {
      return Set.of();
    }
  }

  static List<String> acceptRule(String bridge) {
    return List.of("DOCKER-USER", "-o", bridge, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
  }

  public void apply(OverlayOp op) throws IOException {
    if (op instanceof OverlayOp.SetBridgeMac s) {
      cmd.run(List.of("ip", "link", "set", "dev", s.bridge(), "address", s.mac()));
    } else if (op instanceof OverlayOp.CreateVxlan c) {
      cmd.run(List.of("ip", "link", "add", c.dev(), "type", "vxlan", "id", String.valueOf(c.vni()),
          "dstport", String.valueOf(c.port()), "local", c.local(), "nolearning", "proxy"));
      cmd.run(List.of("ip", "link", "set", "dev", c.dev(), "mtu", String.valueOf(c.mtu()), "master", c.bridge(), "up"));
    } else if (op instanceof OverlayOp.AttachVxlan a) {
      cmd.run(List.of("ip", "link", "set", "dev", a.dev(), "mtu", String.valueOf(a.mtu()), "master", a.bridge(), "up"));
    } else if (op instanceof OverlayOp.DeleteLink d) {
      cmd.run(List.of("ip", "link", "del", "dev", d.dev()));
    } else if (op instanceof OverlayOp.ReplaceFdb f) {
      cmd.run(List.of("bridge", "fdb", "replace", f.mac(), "dev", f.dev(), "dst", f.dst(), "self", "permanent"));
    } else if (op instanceof OverlayOp.DeleteFdb f) {
      cmd.run(List.of("bridge", "fdb", "del", f.mac(), "dev", f.dev(), "dst", f.dst(), "self"));
    } else if (op instanceof OverlayOp.ReplaceNeigh n) {
      cmd.run(List.of("ip", "neigh", "replace", n.ip(), "lladdr", n.mac(), "dev", n.dev(), "nud", "permanent"));
    } else if (op instanceof OverlayOp.DeleteNeigh n) {
      cmd.run(List.of("ip", "neigh", "del", n.ip(), "dev", n.dev()));
    } else if (op instanceof OverlayOp.AddAcceptRule r) {
      List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-I"));
      argv.addAll(acceptRule(r.bridge()));
      cmd.run(argv);
    } else if (op instanceof OverlayOp.RemoveAcceptRule r) {
      List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-D"));
      argv.addAll(acceptRule(r.bridge()));
      cmd.run(argv);
    } else {
      throw new IllegalArgumentException("not a kernel operation: " + op);
    }
  }

  static List<Link> parseLinks(String json) throws IOException {
    List<Link> out = new ArrayList<>();
    for (JsonNode l : JSON.readTree(json)) {
      String name = l.path("ifname").asText();
      if (!name.startsWith(OverlayNames.BRIDGE_PREFIX) && !name.startsWith(OverlayNames.VXLAN_PREFIX)) {
        continue;
      }
      JsonNode info = l.path("linkinfo");
      JsonNode data = info.path("info_data");
      boolean up = false;
      for (JsonNode f : l.path("flags")) {
        up |= "UP".equals(f.asText());
      }
      out.add(new Link(name, info.path("info_kind").asText(""), l.path("master").asText(""),
          l.path("address").asText("").toLowerCase(), l.path("mtu").asInt(), up,
          data.path("id").asInt(0), data.path("port").asInt(0), data.path("local").asText("")));
    }
    return out;
  }

  static List<Fdb> parseFdb(String dev, String json) throws IOException {
    List<Fdb> out = new ArrayList<>();
    for (JsonNode f : JSON.readTree(json)) {
      String mac = f.path("mac").asText("").toLowerCase();
      if (f.hasNonNull("dst") && !NO_MAC.equals(mac)) {
        out.add(new Fdb(dev, mac, f.path("dst").asText()));
      }
    }
    return out;
  }

  static List<Neigh> parseNeigh(String dev, String json) throws IOException {
    List<Neigh> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(json)) {
      if (n.hasNonNull("lladdr")) {
        out.add(new Neigh(dev, n.path("dst").asText(), n.path("lladdr").asText().toLowerCase()));
      }
    }
    return out;
  }

  static Set<String> parseAcceptRules(String rules) {
    Set<String> out = new HashSet<>();
    for (String line : rules.split("\n")) {
      String[] w = line.trim().split("\\s+");
      if (w.length >= 4 && "-A".equals(w[0]) && "-o".equals(w[2]) && w[3].startsWith(OverlayNames.BRIDGE_PREFIX)
          && line.contains("--ctstate DNAT") && line.endsWith("-j ACCEPT")) {
        out.add(w[3]);
      }
    }
    return out;
  }
}
