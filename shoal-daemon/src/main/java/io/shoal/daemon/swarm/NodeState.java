package io.shoal.daemon.swarm;

import io.shoal.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What a node remembers of its swarm membership across restarts: its id, role, addresses and
 * the managers it knows. Written atomically (temp file + rename) under the data root.
 */
public record NodeState(
    String nodeID,
    String clusterID,
    String role,
    String listenAddr,
    String advertiseAddr,
    String raftAddr,
    List<String> remoteManagers) {

  public NodeState {
    remoteManagers = remoteManagers == null ? List.of() : List.copyOf(remoteManagers);
  }

  public static final String FILE = "swarm/state.json";

  public static NodeState read(Path dataRoot) throws IOException {
    Path p = dataRoot.resolve(FILE);
    if (!Files.exists(p)) return null;
    return Json.read(Files.readAllBytes(p), NodeState.class);
  }

  public void write(Path dataRoot) throws IOException {
    Path p = dataRoot.resolve(FILE);
    Files.createDirectories(p.getParent());
    Path tmp = p.resolveSibling("state.json.tmp");
    Files.write(tmp, Json.bytes(this));
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public boolean manager() {
    return "manager".equals(role);
  }

  /** This state after a promotion ({@code raftAddr} set) or a demotion ({@code raftAddr} null). */
  public NodeState withRole(String newRole, String newRaftAddr, List<String> managers) {
    return new NodeState(nodeID, clusterID, newRole, listenAddr, advertiseAddr, newRaftAddr, managers);
  }

  /** This state with the manager list the leader sent last. */
  public NodeState withRemoteManagers(List<String> managers) {
    return new NodeState(nodeID, clusterID, role, listenAddr, advertiseAddr, raftAddr, managers);
  }
}
