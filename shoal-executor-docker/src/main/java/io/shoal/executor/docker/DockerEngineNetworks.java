package io.shoal.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import io.shoal.network.overlay.EngineNetworks;
import io.shoal.network.overlay.OverlayNames;
import io.shoal.network.overlay.OverlayState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine shell of the overlay data path: bridge networks on this node's engine, one per Shoal
 * network, found again by their labels. The bridge driver does the container side (veth, address,
 * MAC derived from the address, routes, the engine's own resolv.conf handling); the data path
 * adds the VXLAN device to the bridge. Why the bridge driver: docs/ARCHITECTURE.md.
 */
public final class DockerEngineNetworks implements EngineNetworks {
  private final DockerClient docker;

  public DockerEngineNetworks(DockerClient docker) {
    this.docker = docker;
  }

  @Override
  public List<OverlayState.EngineNet> list() {
    List<OverlayState.EngineNet> out = new ArrayList<>();
    for (Network n : docker.listNetworksCmd().withFilter("label", List.of(OverlayNames.LABEL_NETWORK)).exec()) {
      Map<String, String> labels = n.getLabels() == null ? Map.of() : n.getLabels();
      String subnet = "";
      String gateway = "";
      if (n.getIpam() != null && n.getIpam().getConfig() != null && !n.getIpam().getConfig().isEmpty()) {
        var c = n.getIpam().getConfig().get(0);
        subnet = c.getSubnet() == null ? "" : c.getSubnet();
        gateway = c.getGateway() == null ? "" : c.getGateway();
      }
      String bridge = n.getOptions() == null ? "" : n.getOptions().getOrDefault("com.docker.network.bridge.name", "");
      out.add(new OverlayState.EngineNet(n.getId(), n.getName(), labels.getOrDefault(OverlayNames.LABEL_NETWORK, ""),
          labels.getOrDefault(OverlayNames.LABEL_NODE, ""), subnet, gateway, bridge));
    }
    return out;
  }

  @Override
  public void create(OverlayState.WantedNetwork w, String nodeId) {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("com.docker.network.bridge.name", w.bridge());
    opts.put("com.docker.network.driver.mtu", String.valueOf(w.mtu()));
    docker.createNetworkCmd().withName(w.name()).withDriver("bridge").withCheckDuplicate(true)
        .withInternal(w.internal()).withAttachable(true)
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(w.subnet()).withGateway(w.gateway())))
        .withOptions(opts)
        .withLabels(Map.of(OverlayNames.LABEL_NETWORK, w.networkId(), OverlayNames.LABEL_NODE, nodeId))
        .exec();
  }

  @Override
  public void remove(String engineId) {
    try {
      docker.removeNetworkCmd(engineId).exec();
    } catch (NotFoundException gone) {
      // removed already
    }
  }
}
