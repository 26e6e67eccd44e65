package io.shoal.network.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * The host's resolvers, where every name that is not a swarm name goes. They are read from the
 * host's {@code resolv.conf}: the resolver runs in the host's network namespace, so even a
 * loopback resolver (systemd-resolved's 127.0.0.53) is reachable from here, which it would not
 * be from a container.
 */
public final class Upstreams {
  private final Resolver resolver;
  private final List<InetSocketAddress> servers;

  public Upstreams(List<InetSocketAddress> servers, Duration timeout) {
    this.servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      this.resolver = null;
      return;
    }
    List<Resolver> each = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      SimpleResolver r = new SimpleResolver(s);
      r.setTimeout(timeout);
      each.add(r);
    }
    ExtendedResolver ext = new ExtendedResolver(each);
    ext.setTimeout(timeout);
    ext.setRetries(1);
    ext.setLoadBalance(false);
    this.resolver = ext;
  }

  /** The nameservers of a resolv.conf text, in order; port 53. */
  public static List<InetSocketAddress> parseResolvConf(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("nameserver")) continue;
      String[] f = l.split("\\s+");
      if (f.length < 2) continue;
      String ip = f[1];
      int zone = ip.indexOf('%');
      if (zone >= 0) ip = ip.substring(0, zone);
      if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) continue; // never look a name up to find a resolver
      out.add(new InetSocketAddress(ip, 53));
    }
    return out;
  }

  public List<InetSocketAddress> servers() {
    return servers;
  }

  /** The upstream answer, or a failed stage when no resolver answered in time. */
  public CompletionStage<Message> forward(Message query) {
    if (resolver == null) return CompletableFuture.failedFuture(new IllegalStateException("no upstream resolver configured"));
    return resolver.sendAsync(query);
  }
}
