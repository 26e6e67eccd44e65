package io.shoal.daemon.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shoal.api.model.Cluster;
import java.util.List;

/** Shapes of {@code /version} and {@code /info}, as far as the docker CLI reads them. */
public final class SystemInfo {
  /** The API version we speak; the docker CLI negotiates down to it from {@code /_ping}. */
  public static final String API_VERSION = "1.44";
  public static final String MIN_API_VERSION = "1.24";
  public static final String VERSION = "0.1.0";

  private SystemInfo() {}

  public record Version(
      Platform platform,
      List<Component> components,
      String version,
      String apiVersion,
      @JsonProperty("MinAPIVersion") String minAPIVersion,
      String gitCommit,
      String goVersion,
      String os,
      String arch,
      String kernelVersion,
      String buildTime) {}

  public record Platform(String name) {}

  public record Component(String name, String version, java.util.Map<String, String> details) {}

  /** Docker's {@code Info.Swarm}. */
  public record Swarm(
      @JsonProperty("NodeID") String nodeID,
      String nodeAddr,
      String localNodeState,
      Boolean controlAvailable,
      String error,
      List<Peer> remoteManagers,
      Integer nodes,
      Integer managers,
      Cluster cluster) {}

  public record Peer(@JsonProperty("NodeID") String nodeID, String addr) {}

  /** Docker's {@code /info} (the fields the CLI prints). */
  public record Info(
      @JsonProperty("ID") String id,
      int containers,
      int containersRunning,
      int containersPaused,
      int containersStopped,
      int images,
      String driver,
      List<List<String>> driverStatus,
      @JsonProperty("MemoryLimit") boolean memoryLimit,
      boolean swapLimit,
      @JsonProperty("CpuCfsPeriod") boolean cpuCfsPeriod,
      @JsonProperty("CpuCfsQuota") boolean cpuCfsQuota,
      @JsonProperty("IPv4Forwarding") boolean ipv4Forwarding,
      boolean debug,
      @JsonProperty("NFd") int nfd,
      int nGoroutines,
      String systemTime,
      String loggingDriver,
      String cgroupDriver,
      String cgroupVersion,
      @JsonProperty("NEventsListener") int nEventsListener,
      String kernelVersion,
      String operatingSystem,
      @JsonProperty("OSVersion") String osVersion,
      @JsonProperty("OSType") String osType,
      String architecture,
      @JsonProperty("NCPU") int ncpu,
      long memTotal,
      String indexServerAddress,
      String dockerRootDir,
      String name,
      List<String> labels,
      boolean experimentalBuild,
      String serverVersion,
      Swarm swarm,
      List<String> warnings) {}
}
