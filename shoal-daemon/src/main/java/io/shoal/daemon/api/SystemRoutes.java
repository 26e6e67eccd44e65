package io.shoal.daemon.api;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}: what the docker CLI asks before anything else. */
final class SystemRoutes {
  private SystemRoutes() {}

  static void register(Router r, Backend b, String dataRoot) {
    r.on("GET", "/_ping", ex -> ping(ex, b));
    r.on("HEAD", "/_ping", ex -> ping(ex, b));
    r.on("GET", "/version", ex -> ex.json(200, version(b)));
    r.on("GET", "/info", ex -> ex.json(200, infoWithEngine(b, dataRoot)));
  }

  private static void ping(Exchange ex, Backend b) {
    ex.header("API-Version", SystemInfo.API_VERSION);
    ex.header("Docker-Experimental", "false");
    ex.header("OSType", "linux");
    ex.header("Swarm", b.swarmHeader());
    ex.header("Cache-Control", "no-cache, no-store, must-revalidate");
    ex.header("Pragma", "no-cache");
    ex.text(200, "OK");
  }

  static SystemInfo.Version version(Backend b) {
    String os = System.getProperty("os.name").toLowerCase();
    String arch = arch();
    String kernel = System.getProperty("os.version");
    return new SystemInfo.Version(new SystemInfo.Platform("Shoal"),
        List.of(new SystemInfo.Component("Engine", SystemInfo.VERSION, Map.of(
            "ApiVersion", SystemInfo.API_VERSION, "MinAPIVersion", SystemInfo.MIN_API_VERSION,
            "Os", os, "Arch", arch, "KernelVersion", kernel, "Java", System.getProperty("java.version")))),
        SystemInfo.VERSION, SystemInfo.API_VERSION, SystemInfo.MIN_API_VERSION, "shoal",
        "java" + System.getProperty("java.version"), os, arch, kernel, "");
  }

  static String arch() {
    String a = System.getProperty("os.arch");
    return a.equals("amd64") || a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
  }

  /**
   * With an engine behind this node, {@code docker info} shows the engine's figures (containers,
   * images, storage driver, ...) with Shoal's swarm section, as dockerd's own does in swarm mode.
   */
  static Object infoWithEngine(Backend b, String dataRoot) {
    SystemInfo.Info own = info(b, dataRoot);
    if (!b.engine().available()) return own;
    try {
      com.fasterxml.jackson.databind.node.ObjectNode e =
          (com.fasterxml.jackson.databind.node.ObjectNode) b.engine().getJson("/info");
      e.set("Swarm", io.shoal.api.json.Json.lenient().valueToTree(own.swarm()));
      e.put("NEventsListener", own.nEventsListener() + e.path("NEventsListener").asInt(0));
      return e;
    } catch (java.io.IOException | ClassCastException ex) {
      java.util.List<String> warnings = new java.util.ArrayList<>(own.warnings());
      warnings.add("WARNING: the container engine did not answer (" + ex.getMessage() + "): figures are Shoal's own");
      return new SystemInfo.Info(own.id(), 0, 0, 0, 0, 0, own.driver(), own.driverStatus(), own.memoryLimit(), own.swapLimit(),
          own.cpuCfsPeriod(), own.cpuCfsQuota(), own.ipv4Forwarding(), own.debug(), own.nfd(), own.nGoroutines(), own.systemTime(),
          own.loggingDriver(), own.cgroupDriver(), own.cgroupVersion(), own.nEventsListener(), own.kernelVersion(),
          own.operatingSystem(), own.osVersion(), own.osType(), own.architecture(), own.ncpu(), own.memTotal(),
          own.indexServerAddress(), own.dockerRootDir(), own.name(), own.labels(), own.experimentalBuild(),
          own.serverVersion(), own.swarm(), warnings);
    }
  }

  static SystemInfo.Info info(Backend b, String dataRoot) {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SystemInfo.Swarm swarm = b.swarmInfo();
    return new SystemInfo.Info(swarm.nodeID() == null ? "" : swarm.nodeID(), 0, 0, 0, 0, 0, "shoal", List.of(),
        true, false, true, true, true, false, 0, Thread.activeCount(), Instant.now().toString(), "json-file",
        "systemd", "2", b.events() == null ? 0 : b.events().listeners(), System.getProperty("os.version"), "Shoal (" + System.getProperty("os.name") + ")",
        "", "linux", System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize(), "", dataRoot, b.hostname(), List.of(), false, SystemInfo.VERSION, swarm, List.of());
  }
}
