package io.shoal.daemon.swarm;

import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.daemon.Addresses;
import io.shoal.rpc.ClusterChannels;
import io.shoal.rpc.ClusterServer;
import io.shoal.rpc.JoinHandler;
import io.shoal.rpc.ManagerOps;
import io.shoal.rpc.MeshTableSource;
import io.shoal.rpc.NetworkViewSource;
import io.shoal.rpc.SessionInfo;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * This node on the cluster port: the mutual-TLS server every node runs (managers add the
 * manager-side handlers) and the client channels it uses to reach the others, both with this
 * node's certificate. Managers swap handlers in as they gain or lose roles.
 */
public final class ClusterRuntime implements AutoCloseable {
  private final RootCA ca;
  private final NodeKeyManager keyManager;
  private final ClusterServer server;
  private final ClusterChannels channels;

  /**
   * @param keyManager this node's credentials, shared with its raft server so that one renewal
   *     reaches every TLS handshake the node makes or answers
   */
  public ClusterRuntime(String listenAddr, NodeKeyManager keyManager, RootCA ca, TaskLogs logs,
      Predicate<String> revoked, Supplier<String> leaderAddress) {
    this.ca = ca;
    this.keyManager = keyManager;
    this.server = ClusterServer.builder(Addresses.host(listenAddr), Addresses.port(listenAddr), keyManager, ca)
        .revoked(revoked).leaderAddress(leaderAddress).taskLogs(logs).build().start();
    this.channels = new ClusterChannels(keyManager, ca, null);
  }

  /**
   * Makes this node answer as a manager: CA signer, raft membership, dispatcher, mesh table, and
   * the session info heartbeats carry.
   */
  public void serveManager(JoinHandler join, ManagerOps ops, Dispatcher dispatcher, MeshTableSource mesh,
      NetworkViewSource views, Function<String, SessionInfo> sessionInfo) {
    server.setNetworkViews(views);
    server.setJoinHandler(join);
    server.setManagerOps(ops);
    server.setDispatcher(dispatcher);
    server.setMeshTable(mesh);
    server.setSessionInfo(sessionInfo);
  }

  /** A demoted manager: answers as a worker does (NotAManager), so callers move on. */
  public void stopServingManager() {
    server.setSessionInfo(null);
    server.setJoinHandler(null);
    server.setManagerOps(null);
    server.setDispatcher(null);
    server.setMeshTable(null);
    server.setNetworkViews(null);
  }

  public void setTaskLogs(TaskLogs logs) {
    server.setTaskLogs(logs);
  }

  public ClusterChannels channels() {
    return channels;
  }

  public NodeKeyManager keyManager() {
    return keyManager;
  }

  public NodeIdentity identity() {
    return keyManager.credentials().identity();
  }

  public RootCA rootCA() {
    return ca;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    channels.close();
    server.close();
  }
}
