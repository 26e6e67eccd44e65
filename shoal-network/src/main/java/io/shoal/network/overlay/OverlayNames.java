package io.shoal.network.overlay;

import java.util.Locale;

/**
 * Names and derived values the data path uses, in one place so the planner and the shells agree.
 * Interface names are at most 15 bytes (IFNAMSIZ − 1): a three-letter kind, a dash and the first
 * ten characters of the Shoal network id.
 */
public final class OverlayNames {
  /** Engine-network label holding the Shoal network id: how a reconcile finds its networks again. */
  public static final String LABEL_NETWORK = "io.shoal.network.id";
  /** Engine-network label holding the node that made it (several test nodes may share an engine). */
  public static final String LABEL_NODE = "io.shoal.node.id";
  /** Every Shoal bridge's name starts with this. */
  public static final String BRIDGE_PREFIX = "shb-";
  /** Every Shoal VXLAN device's name starts with this. */
  public static final String VXLAN_PREFIX = "shv-";

  private OverlayNames() {}

  public static String bridge(String networkId) {
    return BRIDGE_PREFIX + shortId(networkId);
  }

  public static String vxlan(String networkId) {
    return VXLAN_PREFIX + shortId(networkId);
  }

  /** The VXLAN device that goes with a Shoal bridge (same suffix). */
  public static String vxlanOfBridge(String bridge) {
    return VXLAN_PREFIX + bridge.substring(BRIDGE_PREFIX.length());
  }

  private static String shortId(String id) {
    String s = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return s.length() <= 10 ? s : s.substring(0, 10);
  }

  /** {@code 02:42:} followed by the four bytes of an IPv4 address, as Docker derives a MAC. */
  public static String mac(String ipv4) {
    String[] b = plain(ipv4).split("\\.");
    if (b.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
    StringBuilder sb = new StringBuilder("02:42");
    for (String part : b) {
      sb.append(':').append(String.format(Locale.ROOT, "%02x", Integer.parseInt(part)));
    }
    return sb.toString();
  }

  /** An address without its prefix length ({@code 10.0.1.7/24} → {@code 10.0.1.7}). */
  public static String plain(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }
}
