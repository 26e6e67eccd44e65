package io.shoal.manager.ipam;

import io.shoal.api.model.NetworkAllocation;
import java.util.Set;

/**
 * The addresses of one network that may be handed out (to tasks, VIPs and node gateways): its
 * {@code --ip-range}, or its subnet, without the subnet's network and broadcast addresses and its
 * gateway. Pure; what is taken comes from the caller.
 *
 * <p>Addresses are handed out in turn, the one after the highest taken first, and only then the
 * lowest free: an address given up by a task that just stopped is not at once given to the next
 * one, so a peer that still has the old entry for a moment does not reach the wrong task.
 */
public final class AddressSpace {
  private final Cidr subnet;
  private final long first;
  private final long last;
  private final long gateway;

  private AddressSpace(Cidr subnet, long first, long last, long gateway) {
    this.subnet = subnet;
    this.first = first;
    this.last = last;
    this.gateway = gateway;
  }

  public static AddressSpace of(NetworkAllocation a) {
    Cidr subnet = Cidr.parse(a.subnet());
    Cidr range = a.ipRange() == null || a.ipRange().isEmpty() ? subnet : Cidr.parse(a.ipRange());
    long first = Math.max(range.base(), subnet.base() + 1);
    long last = Math.min(range.last(), subnet.last() - 1);
    if (subnet.prefix() >= 31) {
      first = subnet.base();
      last = subnet.last();
    }
    return new AddressSpace(subnet, first, last, Cidr.address(a.gateway()));
  }

  public Cidr subnet() {
    return subnet;
  }

  /** How many addresses may be handed out in all. */
  public long capacity() {
    long n = last - first + 1;
    return gateway >= first && gateway <= last ? n - 1 : n;
  }

  public boolean usable(long a) {
    return a >= first && a <= last && a != gateway;
  }

  /** The next address to hand out, or -1 when every one is taken. */
  public long next(Set<Long> taken) {
    long high = -1;
    for (long t : taken) if (usable(t) && t > high) high = t;
    long start = high < 0 ? first : high + 1;
    for (long a = start; a <= last; a++) if (usable(a) && !taken.contains(a)) return a;
    for (long a = first; a < start && a <= last; a++) if (usable(a) && !taken.contains(a)) return a;
    return -1;
  }

  /** {@code a} with the subnet's prefix length, as task addresses and VIPs are written. */
  public String withPrefix(long a) {
    return subnet.withPrefix(a);
  }
}
