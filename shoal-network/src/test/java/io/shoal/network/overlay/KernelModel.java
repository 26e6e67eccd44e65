package io.shoal.network.overlay;

import io.shoal.network.overlay.OverlayState.EngineNet;
import io.shoal.network.overlay.OverlayState.Fdb;
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Neigh;
import io.shoal.network.overlay.OverlayState.Observed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A model of what the shells do to the engine and the kernel, for planner tests: applies
 * operations to an {@link Observed} the way {@code ip}, {@code bridge}, {@code iptables} and the
 * engine would (a removed network takes its bridge along and frees its VXLAN device; deleting a
 * link takes its entries along; a second VXLAN device on one name fails).
 */
final class KernelModel {
  private static int ids; // engine ids are never reused, as the engine's

  private KernelModel() {}

  static Observed apply(Observed o, List<OverlayOp> ops) {
    List<EngineNet> nets = new ArrayList<>(o.engineNets());
    List<Link> links = new ArrayList<>(o.links());
    List<Fdb> fdb = new ArrayList<>(o.fdb());
    List<Neigh> neigh = new ArrayList<>(o.neigh());
    Set<String> rules = new HashSet<>(o.acceptRules());
    for (OverlayOp op : ops) {
      if (op instanceof OverlayOp.CreateEngineNetwork c) {
        var w = c.network();
        if (nets.stream().anyMatch(e -> e.name().equals(w.name()))) {
          throw new IllegalStateException("network with name " + w.name() + " already exists");
        }
        nets.add(new EngineNet("e" + (++ids), w.name(), w.networkId(), c.nodeId(), w.subnet(), w.gateway(), w.bridge()));
        links.removeIf(l -> l.name().equals(w.bridge()));
        links.add(new Link(w.bridge(), "bridge", "", "aa:bb:cc:00:00:01", w.mtu(), true, 0, 0, ""));
      } else if (op instanceof OverlayOp.RemoveEngineNetwork r) {
        EngineNet e = nets.stream().filter(n -> n.engineId().equals(r.engineId())).findFirst().orElseThrow();
        nets.remove(e);
        if (nets.stream().noneMatch(n -> n.bridge().equals(e.bridge()))) {
          links.removeIf(l -> l.name().equals(e.bridge()));
          links.replaceAll(l -> l.master().equals(e.bridge())
              ? new Link(l.name(), l.kind(), "", l.mac(), l.mtu(), l.up(), l.vni(), l.port(), l.local()) : l);
        }
      } else if (op instanceof OverlayOp.SetBridgeMac s) {
        Link l = link(links, s.bridge());
        links.set(links.indexOf(l), new Link(l.name(), l.kind(), l.master(), s.mac(), l.mtu(), l.up(), 0, 0, ""));
      } else if (op instanceof OverlayOp.CreateVxlan c) {
        if (links.stream().anyMatch(l -> l.name().equals(c.dev()))) {
          throw new IllegalStateException("RTNETLINK answers: File exists");
        }
        link(links, c.bridge());
        links.add(new Link(c.dev(), "vxlan", c.bridge(), "66:66:66:66:66:66", c.mtu(), true, c.vni(), c.port(), c.local()));
      } else if (op instanceof OverlayOp.AttachVxlan a) {
        Link l = link(links, a.dev());
        link(links, a.bridge());
        links.set(links.indexOf(l), new Link(l.name(), l.kind(), a.bridge(), l.mac(), a.mtu(), true, l.vni(), l.port(), l.local()));
      } else if (op instanceof OverlayOp.DeleteLink d) {
        links.remove(link(links, d.dev()));
        fdb.removeIf(f -> f.dev().equals(d.dev()));
        neigh.removeIf(n -> n.dev().equals(d.dev()));
      } else if (op instanceof OverlayOp.ReplaceFdb f) {
        link(links, f.dev());
        fdb.removeIf(x -> x.dev().equals(f.dev()) && x.mac().equals(f.mac()));
        fdb.add(new Fdb(f.dev(), f.mac(), f.dst()));
      } else if (op instanceof OverlayOp.DeleteFdb f) {
        if (!fdb.remove(new Fdb(f.dev(), f.mac(), f.dst()))) {
          throw new IllegalStateException("no such fdb entry " + f);
        }
      } else if (op instanceof OverlayOp.ReplaceNeigh n) {
        link(links, n.dev());
        neigh.removeIf(x -> x.dev().equals(n.dev()) && x.ip().equals(n.ip()));
        neigh.add(new Neigh(n.dev(), n.ip(), n.mac()));
      } else if (op instanceof OverlayOp.DeleteNeigh n) {
        if (!neigh.removeIf(x -> x.dev().equals(n.dev()) && x.ip().equals(n.ip()))) {
          throw new IllegalStateException("no such neighbour " + n);
        }
      } else if (op instanceof OverlayOp.AddAcceptRule r) {
        rules.add(r.bridge());
      } else if (op instanceof OverlayOp.RemoveAcceptRule r) {
        if (!rules.remove(r.bridge())) {
          throw new IllegalStateException("no such rule " + r);
        }
      }
    }
    return new Observed(nets, links, fdb, neigh, rules);
  }

  private static Link link(List<Link> links, String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("Cannot find device \"" + name + "\""));
  }
}
