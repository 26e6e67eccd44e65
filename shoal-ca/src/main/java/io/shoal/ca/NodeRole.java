package io.shoal.ca;

import java.util.Locale;

/**
 * A node's role as its certificate states it. The OU strings are Swarm's, so certificates and
 * authorisation checks mean the same as in Docker.
 */
public enum NodeRole {
  MANAGER("swarm-manager", "manager"),
  WORKER("swarm-worker", "worker");

  private final String ou;
  private final String apiName;

  NodeRole(String ou, String apiName) {
    this.ou = ou;
    this.apiName = apiName;
  }

  /** The certificate subject's OU, {@code swarm-manager} or {@code swarm-worker}. */
  public String ou() {
    return ou;
  }

  /** The name in Docker's API and CLI ({@code manager} / {@code worker}, as in NodeSpec.role). */
  public String apiName() {
    return apiName;
  }

  /** The role whose OU is {@code ou}, or {@link CaException.InvalidCertificate}. */
  public static NodeRole fromOu(String ou) {
    for (NodeRole r : values()) {
      if (r.ou.equals(ou)) {
        return r;
      }
    }
    throw new CaException.InvalidCertificate("unknown node role in certificate OU: " + ou);
  }

  /** Parses {@code manager}/{@code worker} (any case). */
  public static NodeRole fromApiName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (NodeRole r : values()) {
      if (r.apiName.equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException("role must be manager or worker, got: " + name);
  }
}
