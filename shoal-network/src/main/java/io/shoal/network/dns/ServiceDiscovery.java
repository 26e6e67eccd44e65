package io.shoal.network.dns;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.ip.Cidr;
import io.shoal.network.node.NodeNetworking;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's {@link DnsServer} in step with the view: the names (a fresh
 * {@link NameDirectory} per view, stopping tasks left out) and the addresses it listens on (this
 * node's gateway address on each network). A gateway address appears only once the data path has
 * made the network's bridge, so addresses that cannot be bound yet are tried again every second.
 */
public final class ServiceDiscovery implements NodeNetworking.Consumer {
  private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);
  private final DnsServer server;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shoal-dns-bind");
    t.setDaemon(true);
    return t;
  });
  private volatile Set<String> wanted = Set.of();

  public ServiceDiscovery(DnsServer server) {
    this.server = server;
    retry.scheduleWithFixedDelay(this::bindMissing, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void apply(NodeNetworkView view, Set<String> stopping) {
    server.setDirectory(NameDirectory.of(view, stopping));
    Set<String> addrs = new TreeSet<>();
    view.networks().forEach(n -> {
      if (n.gateway() != null && !n.gateway().isEmpty()) addrs.add(Cidr.parse(n.gateway()).ip());
    });
    wanted = addrs;
    server.listenOn(addrs);
  }

  private void bindMissing() {
    try {
      Set<String> w = wanted;
      if (!server.listening().containsAll(w)) {
        Set<String> failed = server.listenOn(w);
        if (!failed.isEmpty()) log.debug("dns: still waiting for {}", failed);
      }
    } catch (RuntimeException e) {
      log.warn("dns: {}", e.toString());
    }
  }

  @Override
  public void close() {
    retry.shutdownNow();
    server.close();
  }
}
