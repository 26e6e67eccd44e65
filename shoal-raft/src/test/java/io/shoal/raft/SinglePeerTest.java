package io.shoal.raft;

import static io.shoal.raft.Fixtures.create;
import static io.shoal.raft.Fixtures.secret;
import static io.shoal.raft.Fixtures.secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Secret;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.StoreAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T3: a one-peer group (swarm init) on 127.0.0.1: writes, restart, snapshots, typed errors. */
class SinglePeerTest {
  @TempDir Path dir;
  private final List<RaftNode> open = new ArrayList<>();
  /** A restarted daemon listens where it did before (its address is in the raft configuration). */
  private final String address = Fixtures.freeAddress();

  @AfterEach
  void closeAll() {
    open.forEach(RaftNode::close);
  }

  private RaftNode started(MemoryStore store, RaftConfig config, boolean bootstrap) throws IOException {
    RaftNode n = Fixtures.node("m1", address, dir, store, config);
    open.add(n);
    if (bootstrap) n.bootstrap();
    else n.start();
    return n;
  }

  @Test
  void bootstrapLeadsAndAppliesWrites() throws Exception {
    List<Boolean> leadership = new CopyOnWriteArrayList<>();
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = Fixtures.node("m1", dir, store, Fixtures.fast());
    open.add(n);
    n.onLeadershipChange(leadership::add);
    n.bootstrap();

    assertThat(n.isLeader()).isTrue();
    assertThat(n.leaderId()).contains("m1");
    await().atMost(Duration.ofSeconds(60)).until(() -> leadership.equals(List.of(true)));
    // a listener registered after the fact still hears that this node leads
    List<Boolean> late = new CopyOnWriteArrayList<>();
    n.onLeadershipChange(late::add);
    await().atMost(Duration.ofSeconds(60)).until(() -> late.equals(List.of(true)));
    n.onLeadershipChange(leadership::add);
    store.update(tx -> tx.create(secret("a")));
    long index = n.propose(create(secret("b"))).get(15, TimeUnit.SECONDS);
    assertThat(secrets(store)).containsOnlyKeys("a", "b").containsEntry("b", index);
    assertThat(store.index()).isEqualTo(index);
    assertThat(n.peers()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo("m1");
      assertThat(p.managerStatus()).isEqualTo("Leader");
    });
    assertThat(RaftNode.isInitialized(dir)).isTrue();

    n.close();
    assertThat(leadership).containsExactly(true, true, false);
    assertThatThrownBy(() -> n.propose(create(secret("c"))).get())
        .hasCauseInstanceOf(ShoalException.Unavailable.class);
  }

  @Test
  void aFailedBootstrapLeavesNothingBehind() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      MemoryStore store = new MemoryStore(Fixtures.CLOCK);
      RaftNode n = Fixtures.node("m1", "127.0.0.1:" + taken.getLocalPort(), dir, store, Fixtures.fast());
      open.add(n);
      assertThatThrownBy(n::bootstrap).isInstanceOf(IOException.class);
      assertThat(RaftNode.isInitialized(dir)).isFalse();
    }
    started(new MemoryStore(Fixtures.CLOCK), Fixtures.fast(), true).propose(create(secret("ok"))).get(15, TimeUnit.SECONDS);
    try (Stream<Path> groups = Files.list(dir)) {
      assertThat(groups.filter(Files::isDirectory)).hasSize(1);
    }
  }

  @Test
  void restartReplaysTheLogIntoAFreshStore() throws Exception {
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, Fixtures.fast(), true);
    for (int i = 0; i < 30; i++) {
      int k = i;
      store.update(tx -> tx.create(secret("s" + k)));
    }
    Map<String, Long> before = secrets(store);
    long index = store.index();
    n.close();

    MemoryStore again = new MemoryStore(Fixtures.CLOCK);
    RaftNode restarted = started(again, Fixtures.fast(), false);
    assertThat(secrets(again)).isEqualTo(before);
    assertThat(again.index()).isEqualTo(index);
    // and it still takes writes, after the entries it replayed
    await().atMost(Duration.ofSeconds(60)).until(restarted::isLeader);
    long next = restarted.propose(create(secret("after"))).get(15, TimeUnit.SECONDS);
    assertThat(next).isGreaterThan(index);
    assertThatThrownBy(() -> Fixtures.node("m1", dir, new MemoryStore(Fixtures.CLOCK), Fixtures.fast()).bootstrap())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void restartAfterSnapshotAndPurgeRestoresExactly() throws Exception {
    RaftConfig config = Fixtures.fast().withSnapshotEvery(40, 1).withSegmentSizeMax(16 * 1024);
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, config, true);
    Fixtures.createMany(n, "s", 300);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(snapshotFiles()).isNotEmpty();
      assertThat(firstLogSegmentStart()).isGreaterThan(0);
    });
    Map<String, Long> before = secrets(store);
    byte[] image = store.snapshot();
    n.close();

    MemoryStore again = new MemoryStore(Fixtures.CLOCK);
    started(again, config, false);
    assertThat(secrets(again)).hasSize(300).isEqualTo(before);
    assertThat(new String(again.snapshot(), StandardCharsets.UTF_8))
        .isEqualTo(new String(image, StandardCharsets.UTF_8));
  }

  @Test
  void failedApplyReachesTheCallerWithItsTypeAndChangesNothing() throws Exception {
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, Fixtures.fast(), true);
    n.propose(create(secret("x"))).get(15, TimeUnit.SECONDS);
    Secret read = store.view(tx -> tx.byName(io.shoal.api.model.StoreObject.Kind.SECRET, "x"));
    Proposal first = new Proposal(Fixtures.CLOCK.instant(), List.of(StoreAction.update(read)));
    n.propose(first).get(15, TimeUnit.SECONDS);
    Map<String, Long> after = secrets(store);

    Proposal stale = new Proposal(Fixtures.CLOCK.instant(), List.of(StoreAction.update(read)));
    assertThatThrownBy(() -> n.propose(stale).get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ShoalException.SequenceConflict.class).hasMessage("update out of sequence");
    assertThatThrownBy(() -> n.propose(create(secret("x"))).get(15, TimeUnit.SECONDS))
        .cause().isInstanceOf(ShoalException.NameConflict.class);
    assertThat(secrets(store)).isEqualTo(after);
    // the store's own path rethrows the same type
    assertThatThrownBy(() -> store.update(tx -> tx.update(read))).isInstanceOf(ShoalException.SequenceConflict.class);
  }

  @Test
  void entriesAndSnapshotsAreSealedAtRest() throws Exception {
    RaftConfig config = Fixtures.fast().withSnapshotEvery(10, 1);
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, config, true);
    for (int i = 0; i < 15; i++) n.propose(create(secret("plaintext-marker-" + i))).get(15, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> !snapshotFiles().isEmpty());
    n.close();

    assertThat(filesContaining("plaintext-marker")).isEmpty();
    assertThat(Files.getPosixFilePermissions(dir.resolve(DataKey.FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    MemoryStore again = new MemoryStore(Fixtures.CLOCK);
    started(again, config, false);
    assertThat(secrets(again)).hasSize(15);
  }

  @Test
  void aWrongDataKeyStopsTheRestartWithAClearError() throws Exception {
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, Fixtures.fast(), true);
    n.propose(create(secret("a"))).get(15, TimeUnit.SECONDS);
    n.close();
    byte[] other = new byte[32];
    java.util.Arrays.fill(other, (byte) 7);
    DataKey.install(dir, other);

    MemoryStore again = new MemoryStore(Fixtures.CLOCK);
    assertThatThrownBy(() -> started(again, Fixtures.fast(), false))
        .isInstanceOf(IOException.class).hasMessageContaining("wrong data key");
    assertThat(secrets(again)).isEmpty();
  }

  @Test
  void withEncryptionOffTheLogIsPlainJson() throws Exception {
    MemoryStore store = new MemoryStore(Fixtures.CLOCK);
    RaftNode n = started(store, Fixtures.fast().withEncryptAtRest(false), true);
    n.propose(create(secret("plaintext-marker"))).get(15, TimeUnit.SECONDS);
    n.close();
    assertThat(filesContaining("plaintext-marker")).isNotEmpty();
    assertThat(dir.resolve(DataKey.FILE)).doesNotExist();
  }

  private List<Path> snapshotFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
    }
  }

  /** Start index of the oldest log segment file (log_<start>-<end> or log_inprogress_<start>). */
  private long firstLogSegmentStart() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("log_"))
          .mapToLong(f -> Long.parseLong(f.replace("log_inprogress_", "").replace("log_", "").split("-")[0]))
          .min().orElse(-1);
    }
  }

  private List<Path> filesContaining(String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> {
        try {
          return indexOf(Files.readAllBytes(p), needle) >= 0;
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
