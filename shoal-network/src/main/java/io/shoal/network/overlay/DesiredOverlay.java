package io.shoal.network.overlay;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.overlay.OverlayState.Desired;
import io.shoal.network.overlay.OverlayState.WantedNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a view wants on this node: every network of the view, with its remote endpoints. Pure. */
public final class DesiredOverlay {
  private DesiredOverlay() {}

  /**
   * @param localAddr this node's data path address (the VXLAN devices' local address); a remote
   *     endpoint behind this very address (test nodes sharing one host) needs no entry
   * @param port the VXLAN UDP port when the view does not say (it carries the swarm's)
   */
  public static Desired from(NodeNetworkView view, String localAddr, int port) {
    if (view.dataPathPort() > 0) {
      port = view.dataPathPort();
    }
    Map<String, String> peerAddr = new HashMap<>();
    view.peers().forEach(p -> peerAddr.put(p.nodeId(), p.dataPathAddr()));
    List<WantedNetwork> out = new ArrayList<>();
    for (NodeNetworkView.NetworkInfo n : view.networks()) {
      if (n.gateway() == null || n.gateway().isEmpty() || n.subnet() == null) {
        continue; // not allocated for this node yet
      }
      Map<String, String> remotes = new TreeMap<>();
      for (NodeNetworkView.EndpointInfo e : view.endpoints()) {
        if (!e.networkId().equals(n.id()) || view.nodeId().equals(e.nodeId()) || e.address() == null) {
          continue;
        }
        String dst = peerAddr.get(e.nodeId());
        if (dst == null || dst.isEmpty() || dst.equals(localAddr)) {
          continue;
        }
        remotes.put(OverlayNames.plain(e.address()), dst);
      }
      int prefix = Integer.parseInt(n.subnet().substring(n.subnet().indexOf('/') + 1));
      out.add(new WantedNetwork(n.id(), n.name(), n.subnet(), OverlayNames.plain(n.gateway()), prefix, n.vni(),
          n.mtu() > 0 ? n.mtu() : 1450, n.internal(), remotes));
    }
    return new Desired(view.nodeId(), localAddr, port, out);
  }
}
