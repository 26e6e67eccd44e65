package io.shoal.daemon.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shoal.api.model.Cluster;
import java.util.List;

/** Docker's {@code POST /swarm/init} body. */
public record InitRequest(
    String listenAddr,
    String advertiseAddr,
    String dataPathAddr,
    Integer dataPathPort,
    List<String> defaultAddrPool,
    Integer subnetSize,
    Boolean forceNewCluster,
    Cluster.SwarmSpec spec,
    Boolean autoLockManagers,
    String availability) {

  public boolean force() {
    return Boolean.TRUE.equals(forceNewCluster);
  }
}
