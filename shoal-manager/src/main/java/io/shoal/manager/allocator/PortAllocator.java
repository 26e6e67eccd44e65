package io.shoal.manager.allocator;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingress ports are swarm-wide: each published port belongs to one service on every node. This
 * decides a service's endpoint from its spec and the other services' ports, pure. A port asked
 * for explicitly that another service holds is an error; a port left at 0 gets the lowest free
 * one in Swarm's dynamic range 30000–32767. A port the service already had is kept on update.
 *
 * <p>Done at the API edge, synchronously, rather than by a background allocator as in SwarmKit:
 * the conflict then reaches the user as the error of the request that caused it, and nothing is
 * stored.
 */
public final class PortAllocator {
  public static final int DYNAMIC_START = 30000;
  public static final int DYNAMIC_END = 32767;

  private PortAllocator() {}

  public static Endpoint allocate(ServiceSpec spec, Service previous, List<Service> others) {
    Map<String, Service> used = new HashMap<>();
    for (Service o : others) {
      if (previous != null && o.id().equals(previous.id())) continue;
      if (o.endpoint() == null) continue;
      for (PortConfig p : o.endpoint().portsOrEmpty()) {
        if (PortConfig.INGRESS.equals(p.publishModeOrDefault()) && p.published() != 0) {
          used.put(p.published() + "/" + p.protocolOrDefault(), o);
        }
      }
    }
    List<PortConfig> had = previous == null || previous.endpoint() == null ? List.of() : previous.endpoint().portsOrEmpty();
    List<PortConfig> out = new ArrayList<>();
    for (PortConfig p : spec.portsOrEmpty()) {
      String proto = p.protocolOrDefault();
      if (!PortConfig.INGRESS.equals(p.publishModeOrDefault())) {
        out.add(new PortConfig(p.name(), proto, p.targetPort(), p.published(), PortConfig.HOST));
        continue;
      }
      int port = p.published();
      if (port != 0) {
        Service holder = used.get(port + "/" + proto);
        if (holder != null) {
          throw new ShoalException.InvalidSpec("port '" + port + "' is already in use by service '"
              + holder.spec().name() + "' (" + holder.id() + ") as an ingress port");
        }
      } else {
        port = keptDynamic(p, had, used);
        if (port == 0) {
          for (int c = DYNAMIC_START; c <= DYNAMIC_END; c++) {
            if (!used.containsKey(c + "/" + proto) && !claimed(out, c, proto)) {
              port = c;
              break;
            }
          }
          if (port == 0) throw new ShoalException.InvalidSpec("no free ingress port left in " + DYNAMIC_START + "-" + DYNAMIC_END);
        }
      }
      used.put(port + "/" + proto, null);
      out.add(p.withPublishedPort(port));
    }
    // the endpoint states the mode in effect, as Docker's inspect shows it: vip unless asked otherwise
    EndpointSpec asked = spec.endpointSpec();
    EndpointSpec es = asked == null ? new EndpointSpec("vip", null)
        : asked.mode() == null || asked.mode().isEmpty() ? new EndpointSpec("vip", asked.ports()) : asked;
    return new Endpoint(es, out.isEmpty() ? null : out, previous == null || previous.endpoint() == null ? null : previous.endpoint().virtualIPs());
  }

  /** On update, a dynamic port the service already had for the same target stays the same. */
  private static int keptDynamic(PortConfig p, List<PortConfig> had, Map<String, Service> used) {
    for (PortConfig h : had) {
      if (h.target() == p.target() && h.protocolOrDefault().equals(p.protocolOrDefault())
          && PortConfig.INGRESS.equals(h.publishModeOrDefault()) && h.published() >= DYNAMIC_START
          && !used.containsKey(h.published() + "/" + h.protocolOrDefault())) {
        return h.published();
      }
    }
    return 0;
  }

  private static boolean claimed(List<PortConfig> out, int port, String proto) {
    return out.stream().anyMatch(q -> q.published() == port && q.protocolOrDefault().equals(proto));
  }
}
