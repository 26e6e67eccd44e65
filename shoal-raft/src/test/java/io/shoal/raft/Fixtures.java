package io.shoal.raft;

import io.shoal.api.model.Secret;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Version;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.StoreAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test data and configuration shared by the raft tests. */
final class Fixtures {
  static final Clock CLOCK = Clock.systemUTC();

  private Fixtures() {}

  /** Faster elections than production so the suite stays short; still well above loopback RTT. */
  static RaftConfig fast() {
    return RaftConfig.defaults()
        .withElectionTimeout(Duration.ofMillis(400), Duration.ofMillis(800))
        .withProposeTimeout(Duration.ofSeconds(8));
  }

  static String freeAddress() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Secret secret(String name) {
    return new Secret("id-" + name, Version.ZERO, null, null,
        new Secret.Spec(name, Map.of("test", "raft"), "c2VjcmV0LWRhdGE=", null, null));
  }

  static Proposal create(StoreObject o) {
    return new Proposal(CLOCK.instant(), List.of(StoreAction.create(o)));
  }

  /** Secret names to versions: what a replica holds, comparable across replicas. */
  static Map<String, Long> secrets(MemoryStore store) {
    return store.view(tx -> {
      Map<String, Long> m = new TreeMap<>();
      for (Secret s : tx.<Secret>all(StoreObject.Kind.SECRET)) m.put(s.spec().name(), s.version().index());
      return m;
    });
  }

  /**
   * Creates secrets {@code prefix0..prefix(n-1)} through {@code via}, 25 in flight at a time: many
   * at once on a loaded 2-core machine would run into the propose timeout while queued.
   */
  static void createMany(RaftNode via, String prefix, int n) throws Exception {
    for (int from = 0; from < n; from += 25) {
      List<java.util.concurrent.CompletableFuture<Long>> batch = new java.util.ArrayList<>();
      for (int i = from; i < Math.min(n, from + 25); i++) batch.add(via.propose(create(secret(prefix + i))));
      for (java.util.concurrent.CompletableFuture<Long> f : batch) f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  static RaftNode node(String id, Path dir, MemoryStore store, RaftConfig config) {
    RaftNode n = new RaftNode(id, freeAddress(), dir, store, null, CLOCK, config);
    store.setProposer(n);
    return n;
  }

  static RaftNode node(String id, String address, Path dir, MemoryStore store, RaftConfig config) {
    RaftNode n = new RaftNode(id, address, dir, store, null, CLOCK, config);
    store.setProposer(n);
    return n;
  }
}
