package io.shoal.network.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.PeerInfo;
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
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Observed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OverlayPlannerTest {
  static final String SELF = "node1";
  static final String LOCAL = "192.0.2.1";
  static final NetworkInfo NET = new NetworkInfo("abcdef0123456789", "backend", "10.0.1.0/24", "10.0.1.3/24", 4097,
      1450, false, false, false);

  static EndpointInfo ep(String net, String task, String addr, String node) {
    return new EndpointInfo(net, task, "svc.1." + task, "s1", "svc", 1, addr, OverlayNames.mac(addr), node, List.of());
  }

  static NodeNetworkView view(List<NetworkInfo> nets, List<EndpointInfo> eps) {
    return new NodeNetworkView(1, SELF, nets, eps, List.of(),
        List.of(new PeerInfo("node2", "192.0.2.2"), new PeerInfo("node3", "192.0.2.3")));
  }

  static Desired desired(NodeNetworkView v) {
    return DesiredOverlay.from(v, LOCAL, 4789);
  }

  static final NodeNetworkView TWO_REMOTES = view(List.of(NET), List.of(
      ep(NET.id(), "t1", "10.0.1.7/24", SELF), ep(NET.id(), "t2", "10.0.1.8/24", "node2"),
      ep(NET.id(), "t3", "10.0.1.9/24", "node3")));

  @Test
  void fromNothingBuildsTheNetworkThenTheEntriesOfRemoteEndpointsOnly() {
    List<OverlayOp> ops = OverlayPlanner.plan(desired(TWO_REMOTES), Observed.empty());
    var w = desired(TWO_REMOTES).networks().get(0);
    assertThat(w.bridge()).isEqualTo("shb-abcdef0123").hasSizeLessThanOrEqualTo(15);
    assertThat(ops).containsExactly(
        new CreateEngineNetwork(w, SELF),
        new SetBridgeMac("shb-abcdef0123", "02:42:0a:00:01:03"),
        new AddAcceptRule("shb-abcdef0123"),
        new CreateVxlan("shv-abcdef0123", 4097, 4789, LOCAL, 1450, "shb-abcdef0123"),
        new ReplaceFdb("shv-abcdef0123", "02:42:0a:00:01:08", "192.0.2.2"),
        new ReplaceFdb("shv-abcdef0123", "02:42:0a:00:01:09", "192.0.2.3"),
        new ReplaceNeigh("shv-abcdef0123", "10.0.1.8", "02:42:0a:00:01:08"),
        new ReplaceNeigh("shv-abcdef0123", "10.0.1.9", "02:42:0a:00:01:09"));
  }

  @Test
  void planningAgainOnTheResultGivesNothing() {
    Observed after = KernelModel.apply(Observed.empty(), OverlayPlanner.plan(desired(TWO_REMOTES), Observed.empty()));
    assertThat(OverlayPlanner.plan(desired(TWO_REMOTES), after)).isEmpty();
  }

  @Test
  void aMovedEndpointIsReplacedAndAGoneOneRemoved() {
    Observed before = converge(desired(TWO_REMOTES), Observed.empty());
    NodeNetworkView moved = view(List.of(NET), List.of(
        ep(NET.id(), "t1", "10.0.1.7/24", SELF), ep(NET.id(), "t2", "10.0.1.8/24", "node3")));
    assertThat(OverlayPlanner.plan(desired(moved), before)).containsExactly(
        new DeleteFdb("shv-abcdef0123", "02:42:0a:00:01:08", "192.0.2.2"),
        new DeleteFdb("shv-abcdef0123", "02:42:0a:00:01:09", "192.0.2.3"),
        new DeleteNeigh("shv-abcdef0123", "10.0.1.9"),
        new ReplaceFdb("shv-abcdef0123", "02:42:0a:00:01:08", "192.0.2.3"));
  }

  @Test
  void theLastLocalTaskLeavingRemovesEverything() {
    Observed before = converge(desired(TWO_REMOTES), Observed.empty());
    List<OverlayOp> ops = OverlayPlanner.plan(desired(view(List.of(), List.of())), before);
    assertThat(ops).containsExactly(new DeleteLink("shv-abcdef0123"), new RemoveAcceptRule("shb-abcdef0123"),
        new RemoveEngineNetwork(before.engineNets().get(0).engineId(), "backend"));
    Observed after = KernelModel.apply(before, ops);
    assertThat(after.links()).isEmpty();
    assertThat(after.engineNets()).isEmpty();
    assertThat(after.fdb()).isEmpty();
    assertThat(after.acceptRules()).isEmpty();
  }

  @Test
  void anEngineRestartThatRemadeTheBridgeReattachesWithoutDuplicates() {
    Observed before = converge(desired(TWO_REMOTES), Observed.empty());
    // the engine re-made the bridge: new MAC, the VXLAN device no longer enslaved
    List<Link> links = new ArrayList<>();
    for (Link l : before.links()) {
      links.add(l.kind().equals("bridge")
          ? new Link(l.name(), "bridge", "", "02:42:99:99:99:99", l.mtu(), true, 0, 0, "")
          : new Link(l.name(), l.kind(), "", l.mac(), l.mtu(), false, l.vni(), l.port(), l.local()));
    }
    Observed restarted = new Observed(before.engineNets(), links, before.fdb(), before.neigh(), before.acceptRules());
    assertThat(OverlayPlanner.plan(desired(TWO_REMOTES), restarted)).containsExactly(
        new SetBridgeMac("shb-abcdef0123", "02:42:0a:00:01:03"),
        new AttachVxlan("shv-abcdef0123", "shb-abcdef0123", 1450));
  }

  @Test
  void aChangedVniRemakesTheDeviceAndItsEntries() {
    Observed before = converge(desired(TWO_REMOTES), Observed.empty());
    NetworkInfo other = new NetworkInfo(NET.id(), NET.name(), NET.subnet(), NET.gateway(), 4200, 1450, false, false, false);
    NodeNetworkView v = view(List.of(other), TWO_REMOTES.endpoints());
    List<OverlayOp> ops = OverlayPlanner.plan(desired(v), before);
    assertThat(ops).startsWith(new DeleteLink("shv-abcdef0123"),
        new CreateVxlan("shv-abcdef0123", 4200, 4789, LOCAL, 1450, "shb-abcdef0123"));
    assertThat(ops).filteredOn(ReplaceFdb.class::isInstance).hasSize(2);
    assertThat(OverlayPlanner.plan(desired(v), KernelModel.apply(before, ops))).isEmpty();
  }

  @Test
  void aNetworkAnotherNodeOnThisEngineMadeIsUsedAsItIs() {
    Observed shared = new Observed(List.of(new EngineNet("e9", "backend", NET.id(), "node2", NET.subnet(), "10.0.1.4",
        "shb-abcdef0123")), List.of(new Link("shb-abcdef0123", "bridge", "", "02:42:0a:00:01:04", 1450, true, 0, 0, ""),
        new Link("shv-abcdef0123", "vxlan", "shb-abcdef0123", "66:00:00:00:00:00", 1450, true, 4097, 4789, LOCAL)),
        List.of(), List.of(), java.util.Set.of("shb-abcdef0123"));
    assertThat(OverlayPlanner.plan(desired(TWO_REMOTES), shared)).isEmpty();
  }

  @Test
  void leftoversOfANetworkRemovedWhileTheDaemonWasAwayGo() {
    Observed left = new Observed(List.of(), List.of(
        new Link("shb-0000000000", "bridge", "", "02:42:0a:00:09:01", 1450, true, 0, 0, ""),
        new Link("shv-0000000000", "vxlan", "shb-0000000000", "66:00:00:00:00:00", 1450, true, 4100, 4789, LOCAL)),
        List.of(), List.of(), java.util.Set.of("shb-0000000000"));
    assertThat(OverlayPlanner.plan(desired(view(List.of(), List.of())), left)).containsExactlyInAnyOrder(
        new DeleteLink("shb-0000000000"), new DeleteLink("shv-0000000000"), new RemoveAcceptRule("shb-0000000000"));
  }

  @Test
  void aDuplicateEngineNetworkOfThisNodeIsRemoved() {
    Observed before = converge(desired(TWO_REMOTES), Observed.empty());
    List<EngineNet> nets = new ArrayList<>(before.engineNets());
    EngineNet e = nets.get(0);
    nets.add(new EngineNet("e2", e.name(), e.networkId(), e.nodeId(), e.subnet(), e.gateway(), e.bridge()));
    Observed dup = new Observed(nets, before.links(), before.fdb(), before.neigh(), before.acceptRules());
    assertThat(OverlayPlanner.plan(desired(TWO_REMOTES), dup)).containsExactly(new RemoveEngineNetwork("e2", "backend"));
  }

  /** Random views in sequence (seeded): each plan, applied, leaves nothing to plan. */
  @Test
  void randomViewsConvergeInOneRound() {
    long seed = System.nanoTime();
    System.out.println("OverlayPlannerTest seed " + seed);
    Random rnd = new Random(seed);
    Observed o = Observed.empty();
    for (int round = 0; round < 200; round++) {
      List<NetworkInfo> nets = new ArrayList<>();
      List<EndpointInfo> eps = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        if (rnd.nextInt(3) == 0) {
          continue;
        }
        String id = "net" + n + "xxxxxxxxxx";
        nets.add(new NetworkInfo(id, "n" + n, "10.0." + n + ".0/24", "10.0." + n + ".2/24", 4096 + n + rnd.nextInt(2) * 10,
            1450, false, false, false));
        for (int t = 0; t < 6; t++) {
          if (rnd.nextBoolean()) {
            eps.add(ep(id, "t" + n + t, "10.0." + n + "." + (10 + t) + "/24", "node" + (1 + rnd.nextInt(3))));
          }
        }
      }
      Desired d = desired(view(nets, eps));
      o = KernelModel.apply(o, OverlayPlanner.plan(d, o));
      assertThat(OverlayPlanner.plan(d, o)).as("seed %d round %d", seed, round).isEmpty();
    }
  }

  static Observed converge(Desired d, Observed o) {
    return KernelModel.apply(o, OverlayPlanner.plan(d, o));
  }
}
