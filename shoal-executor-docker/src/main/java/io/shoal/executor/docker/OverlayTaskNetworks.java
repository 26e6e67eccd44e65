package io.shoal.executor.docker;

import io.shoal.agent.exec.ExecutorException;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Task;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.overlay.OverlayDataPath;
import io.shoal.network.overlay.OverlayNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A task's attachments from this node's overlay data path: its endpoints in the node's network
 * view (address and MAC as the allocator decided), each on the engine network the data path made.
 * Order: the service's networks as the spec lists them, {@code ingress} last, so the primary
 * network (default route, resolver) is one the service chose.
 *
 * <p>A node that has not received a network view yet (a swarm without the allocator's view
 * delivery) keeps the engine's default network.
 */
public final class OverlayTaskNetworks implements TaskNetworks {
  private final OverlayDataPath dataPath;
  private final Duration timeout;

  public OverlayTaskNetworks(OverlayDataPath dataPath, Duration timeout) {
    this.dataPath = dataPath;
    this.timeout = timeout;
  }

  @Override
  public List<Attachment> attachments(Task task) {
    if (!dataPath.hasView() || !expectsNetworks(task)) {
      return List.of();
    }
    try {
      List<NodeNetworkView.EndpointInfo> eps = dataPath.awaitEndpoints(task.id(), timeout);
      if (eps.isEmpty()) {
        throw new ExecutorException.Rejected("task " + task.id() + " has no address on its networks on this node after "
            + timeout.toSeconds() + "s");
      }
      NodeNetworkView view = dataPath.view();
      Map<String, NodeNetworkView.NetworkInfo> nets = new HashMap<>();
      view.networks().forEach(n -> nets.put(n.id(), n));
      List<NodeNetworkView.EndpointInfo> ordered = new ArrayList<>(eps);
      ordered.sort(Comparator.comparingInt(e -> rank(task, nets.get(e.networkId()))));
      List<Attachment> out = new ArrayList<>();
      for (NodeNetworkView.EndpointInfo e : ordered) {
        OverlayDataPath.Ready r = dataPath.awaitReady(e.networkId(), timeout);
        String ip = OverlayNames.plain(e.address());
        out.add(new Attachment(e.networkId(), r.engineName(), ip,
            e.mac() == null || e.mac().isEmpty() ? OverlayNames.mac(ip) : e.mac(), r.gateway()));
      }
      return out;
    } catch (TimeoutException e) {
      throw new ExecutorException.Rejected(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExecutorException.Unavailable("interrupted waiting for networks", e);
    }
  }

  /** The allocator gave the task addresses (or will: its spec names networks or ingress ports). */
  static boolean expectsNetworks(Task t) {
    if (!t.attachmentsOrEmpty().isEmpty()) {
      return true;
    }
    if (t.spec().networks() != null && !t.spec().networks().isEmpty()) {
      return true;
    }
    return ContainerSpecs.ports(t).stream().anyMatch(p -> PortConfig.INGRESS.equals(p.publishModeOrDefault()));
  }

  private static int rank(Task t, NodeNetworkView.NetworkInfo n) {
    if (n == null) {
      return Integer.MAX_VALUE - 1;
    }
    if (n.ingress()) {
      return Integer.MAX_VALUE;
    }
    List<NetworkAttachmentConfig> spec = t.spec().networks() == null ? List.of() : t.spec().networks();
    for (int i = 0; i < spec.size(); i++) {
      String target = spec.get(i).target();
      if (n.id().equals(target) || n.name().equals(target)) {
        return i;
      }
    }
    return spec.size();
  }
}
