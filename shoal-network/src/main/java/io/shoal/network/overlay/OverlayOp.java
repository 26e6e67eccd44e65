package io.shoal.network.overlay;

/** One change the shells carry out; the planner orders them so each one's prerequisites come first. */
public sealed interface OverlayOp {
  record CreateEngineNetwork(OverlayState.WantedNetwork network, String nodeId) implements OverlayOp {}

  record RemoveEngineNetwork(String engineId, String name) implements OverlayOp {}

  /** Gives the bridge the MAC other nodes derive from its gateway address. */
  record SetBridgeMac(String bridge, String mac) implements OverlayOp {}

  record CreateVxlan(String dev, int vni, int port, String local, int mtu, String bridge) implements OverlayOp {}

  /** Enslaves an existing VXLAN device (after the engine re-made its bridge) and brings it up. */
  record AttachVxlan(String dev, String bridge, int mtu) implements OverlayOp {}

  record DeleteLink(String dev) implements OverlayOp {}

  record ReplaceFdb(String dev, String mac, String dst) implements OverlayOp {}

  record DeleteFdb(String dev, String mac, String dst) implements OverlayOp {}

  record ReplaceNeigh(String dev, String ip, String mac) implements OverlayOp {}

  record DeleteNeigh(String dev, String ip) implements OverlayOp {}

  /** DOCKER-USER rule accepting DNAT'd traffic into the bridge (the engine's FORWARD policy drops it). */
  record AddAcceptRule(String bridge) implements OverlayOp {}

  record RemoveAcceptRule(String bridge) implements OverlayOp {}
}
