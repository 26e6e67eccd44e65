package io.shoal.manager.netview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Network;
import io.shoal.api.model.Version;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.manager.Fx;
import io.shoal.manager.allocator.IngressNetwork;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub's delivery: an out-of-date poll answered at once, a current one on change or timeout, listeners on change only. */
class NetworkViewHubTest {
  private final MemoryStore store = new MemoryStore(java.time.Clock.systemUTC());
  private final NetworkViewHub hub;

  NetworkViewHubTest() {
    store.setProposer(new LocalProposer(store));
    Cluster c = new Cluster("c1", Version.ZERO, null, null, Cluster.SwarmSpec.defaults(), null, false, 4789,
        List.of("10.0.0.0/8"), 24, null, null);
    Network ingress = IngressNetwork.create("ing", c, List.of());
    store.update(tx -> {
      tx.create(c);
      tx.create(Fx.node("n1"));
      tx.create(ingress.withAllocation(ingress.allocation().withNodeGateways(Map.of("n1", "10.0.0.2"))));
    });
    hub = new NetworkViewHub(store);
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void pollsAndListenersSeeChangesOnly() throws Exception {
    NodeNetworkView first = hub.poll("n1", 0, Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS);
    assertThat(first.networks()).extracting(NodeNetworkView.NetworkInfo::gateway).containsExactly("10.0.0.2/24");
    List<NodeNetworkView> heard = new CopyOnWriteArrayList<>();
    hub.subscribe("n1", heard::add);
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 1);

    // unrelated change: the poll stays open, listeners hear nothing, and the timeout answers the same view
    CompletableFuture<NodeNetworkView> waiting = hub.poll("n1", first.version(), Duration.ofMillis(600));
    store.update(tx -> tx.create(Fx.node("n9")));
    NodeNetworkView same = waiting.get(5, TimeUnit.SECONDS);
    assertThat(same.version()).isEqualTo(first.version());
    assertThat(heard).hasSize(1);

    // a change for n1: the open poll is answered with a newer version, listeners hear it once
    CompletableFuture<NodeNetworkView> next = hub.poll("n1", first.version(), Duration.ofSeconds(10));
    store.update(tx -> {
      Network n = tx.get(Network.Kind.NETWORK, "ing");
      tx.update(n.withAllocation(n.allocation().withNodeGateways(Map.of("n1", "10.0.0.7"))));
    });
    NodeNetworkView changed = next.get(5, TimeUnit.SECONDS);
    assertThat(changed.version()).isGreaterThan(first.version());
    assertThat(changed.networks().get(0).gateway()).isEqualTo("10.0.0.7/24");
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
    // a poll from an older (or another manager's) version is answered at once
    assertThat(hub.poll("n1", 12345, Duration.ofSeconds(10)).get(1, TimeUnit.SECONDS)).isEqualTo(changed);
  }
}
