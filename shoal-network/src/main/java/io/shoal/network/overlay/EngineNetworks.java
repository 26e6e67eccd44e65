package io.shoal.network.overlay;

import java.util.List;

/** The engine's networks, as far as the data path needs them (the engine shell). */
public interface EngineNetworks {
  /** Every engine network carrying {@link OverlayNames#LABEL_NETWORK}. */
  List<OverlayState.EngineNet> list();

  /**
   * A bridge network named {@code w.name()}: the network's subnet, this node's gateway, bridge
   * {@code w.bridge()}, MTU, labelled with the Shoal network and {@code nodeId}.
   */
  void create(OverlayState.WantedNetwork w, String nodeId);

  void remove(String engineId);
}
