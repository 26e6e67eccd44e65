package io.shoal.daemon.swarm;

import io.shoal.api.model.GossipKeyRecord;
import io.shoal.gossip.GossipConfig;
import io.shoal.gossip.GossipKey;
import io.shoal.gossip.GossipListener;
import io.shoal.gossip.GossipService;
import io.shoal.gossip.Keyring;
import io.shoal.gossip.MemberInfo;
import io.shoal.rpc.SessionInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's gossip membership, fed by its manager session: the first session answer that
 * carries keys starts the member (member id = node id) and joins it through the leader's gossip
 * address; later answers rotate the keys and the removed nodes. Until keys arrive there is no
 * gossip at all (a node that never joined cannot read or inject anything). Failing to bind is
 * logged and leaves the node on heartbeats alone.
 *
 * <p>Port: 7946 when the cluster port is Swarm's 2377, else the cluster port + 2 (several
 * daemons on one machine, cluster ports 10 apart, raft on + 1).
 */
final class NodeGossip implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeGossip.class);

  private final String nodeId;
  private final String bindHost;
  private final int port;
  private final String advertiseHost;
  private final Clock clock;
  private final List<GossipListener> listeners = new ArrayList<>();
  private GossipService service;
  private boolean failed;
  private boolean closed;

  NodeGossip(String nodeId, String listenAddr, String advertiseAddr, Clock clock) {
    this.nodeId = nodeId;
    int cluster = io.shoal.daemon.Addresses.port(listenAddr);
    this.port = cluster == 2377 ? GossipConfig.DEFAULT_PORT : cluster + 2;
    this.bindHost = io.shoal.daemon.Addresses.host(listenAddr);
    this.advertiseHost = io.shoal.daemon.Addresses.host(advertiseAddr);
    this.clock = clock;
  }

  /** The address other members reach this one at, or null while not started. */
  synchronized String address() {
    return service == null ? null : service.address();
  }

  synchronized void addListener(GossipListener l) {
    listeners.add(l);
    if (service != null) service.addListener(l);
  }

  /** Calls {@code gone} with the id of every member confirmed dead or left (on the gossip thread). */
  void onGone(Consumer<String> gone) {
    addListener(new GossipListener() {
      @Override
      public void memberChanged(MemberInfo m) {
        if (m.state().gone()) gone.accept(m.id());
      }
    });
  }

  synchronized void onSession(SessionInfo info) {
    if (closed || failed || info.gossipKeys().isEmpty()) return;
    List<GossipKey> keys = new ArrayList<>();
    for (GossipKeyRecord k : info.gossipKeys()) keys.add(new GossipKey(k.lamportTime(), Base64.getDecoder().decode(k.key())));
    Keyring ring = new Keyring(keys, new HashSet<>(info.removedNodes()));
    if (service == null) {
      try {
        service = GossipService.start(GossipConfig.lan(), nodeId, bindHost, port, advertiseHost, ring, clock);
        listeners.forEach(service::addListener);
        log.info("gossip member {} on {}", nodeId, service.address());
      } catch (Exception e) {
        failed = true;
        log.warn("gossip not started ({}); this node relies on heartbeats alone", e.getMessage());
        return;
      }
    } else {
      service.setKeyring(ring);
    }
    List<String> seeds = info.gossipSeeds().stream().filter(s -> !s.equals(service.address())).toList();
    if (!seeds.isEmpty()) {
      service.members().thenAccept(ms -> {
        if (ms.stream().filter(m -> !m.state().gone()).count() <= 1) service.join(seeds);
      });
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (service != null) service.close();
    service = null;
  }
}
