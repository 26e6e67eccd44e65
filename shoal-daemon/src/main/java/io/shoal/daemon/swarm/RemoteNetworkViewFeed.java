package io.shoal.daemon.swarm;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.rpc.ManagerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's network view: a long poll to a manager ({@link ManagerClient#networkView}), asked
 * again as soon as it answers, so a change reaches this node within one round trip of its
 * commit. While no manager answers, the last view stays in force (the data path keeps working
 * with what it has) and the poll is retried after {@link #RETRY_MS}.
 */
final class RemoteNetworkViewFeed implements AutoCloseable {
  static final long RETRY_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(RemoteNetworkViewFeed.class);
  private final ManagerClient managers;
  private final NetworkViewBus bus;
  private final Thread thread;
  private volatile boolean running = true;

  RemoteNetworkViewFeed(ManagerClient managers, NetworkViewBus bus) {
    this.managers = managers;
    this.bus = bus;
    this.thread = new Thread(this::loop, "shoal-netview-remote");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    boolean warned = false;
    NodeNetworkView have = bus.latest();
    long since = have == null ? 0 : have.version();
    while (running) {
      try {
        NodeNetworkView v = managers.networkView(since);
        since = v.version();
        bus.publish(v);
        warned = false;
      } catch (RuntimeException e) {
        if (!running) return;
        if (!warned) log.warn("network view: no manager answered, keeping the last view: {}", e.toString());
        warned = true;
        try {
          Thread.sleep(RETRY_MS); // a retry pause in a network client loop, not a test wait
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
