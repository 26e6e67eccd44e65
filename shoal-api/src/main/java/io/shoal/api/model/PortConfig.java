package io.shoal.api.model;

/**
 * A service port. {@code publishMode} {@code ingress} is served by every node's routing mesh;
 * {@code host} binds on the node running the task. {@code publishedPort} 0 in ingress mode means
 * "pick one" (the allocator assigns from 30000–32767, as Swarm does).
 */
public record PortConfig(
    String name, String protocol, Integer targetPort, Integer publishedPort, String publishMode) {
  public static final String INGRESS = "ingress";
  public static final String HOST = "host";

  public String protocolOrDefault() {
    return protocol == null || protocol.isEmpty() ? "tcp" : protocol;
  }

  public String publishModeOrDefault() {
    return publishMode == null || publishMode.isEmpty() ? INGRESS : publishMode;
  }

  public int published() {
    return publishedPort == null ? 0 : publishedPort;
  }

  public int target() {
    return targetPort == null ? 0 : targetPort;
  }

  public PortConfig withPublishedPort(int p) {
    return new PortConfig(name, protocolOrDefault(), targetPort, p, publishModeOrDefault());
  }
}
