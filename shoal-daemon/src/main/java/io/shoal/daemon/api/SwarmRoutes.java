package io.shoal.daemon.api;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.swarm.JoinRequest;
import java.util.List;
import java.util.Map;

/** {@code /swarm/*}, {@code /nodes/*}, and Shoal's {@code /shoal/client-certificates} (unix socket only). */
final class SwarmRoutes {
  private SwarmRoutes() {}

  static void register(Router r, Backend b) {
    r.on("GET", "/swarm", ex -> ex.json(200, b.swarm().forApi()));
    r.on("POST", "/swarm/init", ex -> ex.json(200, b.init(ex.body(InitRequest.class))));
    r.on("POST", "/swarm/join", ex -> {
      b.join(ex.body(JoinRequest.class));
      ex.empty(200);
    });
    r.on("POST", "/swarm/leave", ex -> {
      b.leave(ex.flag("force", false));
      ex.empty(200);
    });
    r.on("POST", "/swarm/update", ex -> {
      b.updateSwarm(ex.version(), ex.body(Cluster.SwarmSpec.class),
          ex.flag("rotateWorkerToken", false), ex.flag("rotateManagerToken", false));
      ex.empty(200);
    });
    // Shoal's own: a client certificate for the TLS API (`shoal swarm client-cert`), never over TCP
    r.onLocal("POST", "/shoal/client-certificates", ex ->
        ex.json(201, b.issueClientCertificate(ex.body(io.shoal.daemon.tls.ApiCertificateIssuer.ClientRequest.class))));
    r.on("GET", "/swarm/unlockkey", ex -> {
      b.swarm();
      ex.json(200, Map.of("UnlockKey", ""));
    });

    r.on("GET", "/nodes", ex -> {
      List<Node> nodes = b.control().nodes(ex.filters());
      ex.json(200, nodes.stream().map(b::withManagerStatus).toList());
    });
    r.on("GET", "/nodes/([^/]+)", ex -> ex.json(200, b.withManagerStatus(b.control().node(ex.path(1)))));
    r.on("POST", "/nodes/([^/]+)/update", ex -> {
      b.control().updateNode(ex.path(1), ex.version(), ex.body(Node.NodeSpec.class));
      ex.empty(200);
    });
    r.on("DELETE", "/nodes/([^/]+)", ex -> {
      b.control().removeNode(ex.path(1), ex.flag("force", false));
      ex.empty(200);
    });
  }
}
