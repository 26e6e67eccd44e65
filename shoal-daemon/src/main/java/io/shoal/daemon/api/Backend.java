package io.shoal.daemon.api;

import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.swarm.JoinRequest;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;

/**
 * What the API routes need from the node daemon. Methods that need a manager throw {@link
 * io.shoal.api.error.ShoalException.NotAManager} on a node that is not one.
 */
public interface Backend {
  /** The node's swarm view for {@code /info}. */
  SystemInfo.Swarm swarmInfo();

  /** Docker's {@code Swarm} header on {@code /_ping}: inactive, active/manager, active/worker... */
  String swarmHeader();

  String hostname();

  String engineVersion();

  String init(InitRequest request) throws Exception;

  void join(JoinRequest request) throws Exception;

  void leave(boolean force) throws Exception;

  Cluster swarm();

  void updateSwarm(long version, Cluster.SwarmSpec spec, boolean rotateWorker, boolean rotateManager);

  ControlApi control();

  /** Networks, secrets and configs of this manager's store. */
  ResourceApi resources();

  /** A node with its live MANAGER STATUS (leader, reachability) filled in. */
  Node withManagerStatus(Node n);

  TaskLogs taskLogs();

  /** The node's engine for non-swarm paths ({@code /containers}, {@code /images}...), or one that says there is none. */
  default io.shoal.daemon.engine.EngineProxy engine() {
    return io.shoal.daemon.engine.EngineProxy.none("this node has no container engine");
  }

  /** This manager's swarm event feed, or null on a node that is not a manager (no swarm events). */
  default io.shoal.daemon.events.ClusterEvents events() {
    return null;
  }

  /**
   * Signs an API client certificate for the TCP API with the swarm CA (managers only). Served on
   * the unix socket only: whoever may use that socket may already do anything.
   */
  io.shoal.daemon.tls.ApiCertificateIssuer.ClientCertificate issueClientCertificate(
      io.shoal.daemon.tls.ApiCertificateIssuer.ClientRequest request);
}
