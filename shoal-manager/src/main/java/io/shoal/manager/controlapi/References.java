package io.shoal.manager.controlapi;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.store.ReadTx;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's references to networks, secrets and configs: each must exist before the service is
 * written, and network names are stored as ids (as Docker's daemon does), so renaming or
 * re-creating a network never silently re-points a service.
 */
final class References {
  private References() {}

  static void check(ReadTx tx, ServiceSpec s) {
    var c = s.taskTemplate().containerSpec();
    if (c.secrets() != null) {
      for (SecretReference r : c.secrets()) {
        if (r.secretID() == null || tx.get(StoreObject.Kind.SECRET, r.secretID()) == null) {
          throw new ShoalException.InvalidSpec("secret not found: " + (r.secretName() != null ? r.secretName() : r.secretID()));
        }
      }
    }
    if (c.configs() != null) {
      for (ConfigReference r : c.configs()) {
        if (r.configID() == null || tx.get(StoreObject.Kind.CONFIG, r.configID()) == null) {
          throw new ShoalException.InvalidSpec("config not found: " + (r.configName() != null ? r.configName() : r.configID()));
        }
      }
    }
  }

  /** The spec with every network target given as an id. */
  static ServiceSpec resolve(ReadTx tx, ServiceSpec s) {
    List<NetworkAttachmentConfig> top = networks(tx, s.networks());
    List<NetworkAttachmentConfig> task = networks(tx, s.taskTemplate().networks());
    // Docker moved networks from the service to the task template; keep them where they came
    return new ServiceSpec(s.name(), s.labels(), s.taskTemplate().withNetworks(task), s.mode(),
        s.updateConfig(), s.rollbackConfig(), top, s.endpointSpec());
  }

  private static List<NetworkAttachmentConfig> networks(ReadTx tx, List<NetworkAttachmentConfig> in) {
    if (in == null) return null;
    List<NetworkAttachmentConfig> out = new ArrayList<>();
    for (NetworkAttachmentConfig n : in) {
      Network net;
      try {
        net = Lookup.find(tx, StoreObject.Kind.NETWORK, n.target());
      } catch (ShoalException.NotFound e) {
        throw new ShoalException.NotFound("network " + n.target() + " not found");
      }
      out.add(new NetworkAttachmentConfig(net.id(), n.aliases(), n.driverOpts()));
    }
    return out;
  }
}
