package io.shoal.network.overlay;

import io.shoal.network.overlay.OverlayOp.AddAcceptRule;
import io.shoal.network.overlay.OverlayOp.AttachVxlan;
import io.shoal.network.overlay.OverlayOp.CreateEngineNetwork;
import io.shoal.network.overlay.OverlayOp.CreateVxlan;
import io.shoal.network.overlay.OverlayOp.DeleteFdb;
import io.shoal.network.overlay.OverlayOp.DeleteLink;
import io.shoal.network.overlay.OverlayOp.DeleteNeigh;
import io.shoal.network.overlay.OverlayOp.RemoveAcceptRule;
import io.shoal.network.overlay.OverlayOp.RemoveEngineNetwork;
import io.shoal.network.overlay.OverlayOp.ReplaceFdb;
import io.shoal.network.overlay.OverlayOp.ReplaceNeigh;
import io.shoal.network.overlay.OverlayOp.SetBridgeMac;
import io.shoal.network.overlay.OverlayState.Desired;
import io.shoal.network.overlay.OverlayState.EngineNet;
import io.shoal.network.overlay.OverlayState.Fdb;
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Neigh;
import io.shoal.network.overlay.OverlayState.Observed;
import io.shoal.network.overlay.OverlayState.WantedNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Desired against observed → the operations that make the node match, removals first. Pure and
 * level-triggered: planning again on what the operations left gives nothing, whatever was there
 * before (a restarted engine that re-made its bridges, a daemon that died half-way).
 *
 * <p>Ownership: only engine networks labelled with this node, and the Shoal links that go with
 * them, are touched. A network another node on the same engine already made (test swarms where
 * several nodes share one engine) is used as it is: its containers are on one bridge already.
 */
public final class OverlayPlanner {
  private OverlayPlanner() {}

  public static List<OverlayOp> plan(Desired d, Observed o) {
    List<OverlayOp> removals = new ArrayList<>();
    List<OverlayOp> additions = new ArrayList<>();

    Map<String, EngineNet> own = new TreeMap<>();
    Map<String, EngineNet> foreign = new TreeMap<>();
    for (EngineNet e : o.engineNets()) {
      if (d.nodeId().equals(e.nodeId())) {
        if (own.putIfAbsent(e.networkId(), e) != null) {
          removals.add(new RemoveEngineNetwork(e.engineId(), e.name())); // a duplicate: keep one
        }
      } else {
        foreign.putIfAbsent(e.networkId(), e);
      }
    }
    Map<String, Link> links = new HashMap<>();
    o.links().forEach(l -> links.put(l.name(), l));

    // the networks this node builds: wanted, and not already made by another node on this engine
    Map<String, WantedNetwork> mine = new TreeMap<>();
    for (WantedNetwork w : d.networks()) {
      if (own.containsKey(w.networkId()) || !foreign.containsKey(w.networkId())) {
        mine.put(w.networkId(), w);
      }
    }
    Set<String> keepLinks = new HashSet<>();
    foreign.values().forEach(e -> {
      keepLinks.add(e.bridge());
      keepLinks.add(OverlayNames.vxlanOfBridge(e.bridge()));
    });

    // engine networks of this node that are no longer wanted, or no longer right
    for (EngineNet e : own.values()) {
      WantedNetwork w = mine.get(e.networkId());
      if (w == null || !matches(e, w)) {
        String vx = OverlayNames.vxlanOfBridge(e.bridge());
        if (links.containsKey(vx) && (w == null || !vx.equals(w.vxlan()))) {
          removals.add(new DeleteLink(vx));
        }
        if (o.acceptRules().contains(e.bridge()) && w == null) {
          removals.add(new RemoveAcceptRule(e.bridge()));
        }
        removals.add(new RemoveEngineNetwork(e.engineId(), e.name()));
      }
    }

    for (WantedNetwork w : mine.values()) {
      keepLinks.add(w.bridge());
      keepLinks.add(w.vxlan());
      EngineNet e = own.get(w.networkId());
      boolean fresh = e == null || !matches(e, w);
      if (fresh) {
        additions.add(new CreateEngineNetwork(w, d.nodeId()));
      }
      Link br = fresh ? null : links.get(w.bridge());
      String brMac = OverlayNames.mac(w.gateway());
      if (br == null || !brMac.equalsIgnoreCase(br.mac())) {
        additions.add(new SetBridgeMac(w.bridge(), brMac));
      }
      if (!o.acceptRules().contains(w.bridge())) {
        additions.add(new AddAcceptRule(w.bridge()));
      }
      Link vx = links.get(w.vxlan());
      boolean newVx = vx == null || !"vxlan".equals(vx.kind()) || vx.vni() != w.vni() || vx.port() != d.port()
          || !d.localAddr().equals(vx.local());
      if (newVx) {
        if (vx != null) {
          removals.add(new DeleteLink(w.vxlan()));
        }
        additions.add(new CreateVxlan(w.vxlan(), w.vni(), d.port(), d.localAddr(), w.mtu(), w.bridge()));
      } else if (fresh || !w.bridge().equals(vx.master()) || !vx.up() || vx.mtu() != w.mtu()) {
        additions.add(new AttachVxlan(w.vxlan(), w.bridge(), w.mtu()));
      }
      entries(w, newVx ? Observed.empty() : o, removals, additions);
    }

    // Shoal links nobody accounts for: left by a network removed while this daemon was away
    for (Link l : o.links()) {
      if (!keepLinks.contains(l.name()) && !removals.contains(new DeleteLink(l.name()))) {
        boolean bridgeOfOwn = own.values().stream().anyMatch(e -> e.bridge().equals(l.name()));
        if (!bridgeOfOwn) {
          removals.add(new DeleteLink(l.name())); // an own network's bridge goes with the network
        }
      }
    }
    for (String b : o.acceptRules()) {
      boolean stale = !keepLinks.contains(b) && own.values().stream().noneMatch(e -> e.bridge().equals(b));
      if (stale) {
        removals.add(new RemoveAcceptRule(b));
      }
    }
    List<OverlayOp> out = new ArrayList<>(removals);
    out.addAll(additions);
    return out;
  }

  private static boolean matches(EngineNet e, WantedNetwork w) {
    return e.name().equals(w.name()) && e.subnet().equals(w.subnet())
        && OverlayNames.plain(e.gateway()).equals(w.gateway()) && e.bridge().equals(w.bridge());
  }

  /** FDB and neighbour entries of one VXLAN device: replace what is missing or wrong, drop the rest. */
  private static void entries(WantedNetwork w, Observed o, List<OverlayOp> removals, List<OverlayOp> additions) {
    String dev = w.vxlan();
    Map<String, String> fdbWanted = new TreeMap<>(); // mac -> dst
    Map<String, String> neighWanted = new TreeMap<>(); // ip -> mac
    w.remotes().forEach((ip, dst) -> {
      String mac = OverlayNames.mac(ip);
      fdbWanted.put(mac, dst);
      neighWanted.put(ip, mac);
    });
    Map<String, List<String>> fdbHave = new HashMap<>();
    for (Fdb f : o.fdb()) {
      if (f.dev().equals(dev)) {
        fdbHave.computeIfAbsent(f.mac().toLowerCase(), k -> new ArrayList<>()).add(f.dst());
      }
    }
    for (var en : new TreeMap<>(fdbHave).entrySet()) {
      String want = fdbWanted.get(en.getKey());
      for (String dst : en.getValue()) {
        if (!dst.equals(want) || en.getValue().size() > 1) {
          removals.add(new DeleteFdb(dev, en.getKey(), dst));
        }
      }
    }
    fdbWanted.forEach((mac, dst) -> {
      List<String> have = fdbHave.getOrDefault(mac, List.of());
      if (!(have.size() == 1 && have.get(0).equals(dst))) {
        additions.add(new ReplaceFdb(dev, mac, dst));
      }
    });
    Map<String, String> neighHave = new TreeMap<>();
    for (Neigh n : o.neigh()) {
      if (n.dev().equals(dev)) {
        neighHave.put(n.ip(), n.mac().toLowerCase());
      }
    }
    neighHave.forEach((ip, mac) -> {
      if (!neighWanted.containsKey(ip)) {
        removals.add(new DeleteNeigh(dev, ip));
      }
    });
    neighWanted.forEach((ip, mac) -> {
      if (!mac.equals(neighHave.get(ip))) {
        additions.add(new ReplaceNeigh(dev, ip, mac));
      }
    });
  }
}
