package io.shoal.network.ip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address with its prefix length, as the network view spells it ({@code 10.0.1.7/24});
 * a bare address counts as {@code /32}. Parsing never touches DNS: only dotted quads are accepted.
 */
public record Cidr(int address, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("bad prefix length " + prefix);
  }

  public static Cidr parse(String s) {
    int slash = s.indexOf('/');
    String ip = slash < 0 ? s : s.substring(0, slash);
    int prefix = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
    return new Cidr(toInt(ip), prefix);
  }

  /** The dotted quad as an int; refuses anything else (no name lookups hide in here). */
  public static int toInt(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
    int v = 0;
    for (String p : parts) {
      int b = Integer.parseInt(p);
      if (b < 0 || b > 255 || p.isEmpty() || p.length() > 3) throw new IllegalArgumentException("not an IPv4 address: " + ip);
      v = (v << 8) | b;
    }
    return v;
  }

  public static int toInt(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length != 4) return 0;
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  public static String toString(int a) {
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  public static Inet4Address toInet(int a) {
    byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always a valid address
    }
  }

  public int mask() {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  public boolean contains(int a) {
    return (a & mask()) == (address & mask());
  }

  /** The address alone, dotted. */
  public String ip() {
    return toString(address);
  }

  /** The network, e.g. {@code 10.0.1.0/24}. */
  public String network() {
    return toString(address & mask()) + "/" + prefix;
  }

  @Override
  public String toString() {
    return ip() + "/" + prefix;
  }
}
