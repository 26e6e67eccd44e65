package io.shoal.raft;

import io.shoal.store.Codec;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine over a {@link MemoryStore}: committed entries are decoded and applied in
 * log order, snapshots are the store's own bytes in Ratis' single-file layout
 * ({@code sm/snapshot.<term>_<index>} plus an {@code .md5}), sealed with the {@link DataKey}.
 *
 * <p>Threading: Ratis calls apply, snapshot and reinitialize on its one StateMachineUpdater thread,
 * so they never overlap; the notify* callbacks come from Ratis' RPC and election threads and only
 * hand over to {@link Events}. {@link #awaitApplied} may be called from any thread.
 */
final class StoreStateMachine extends BaseStateMachine {
  static final String ENTRY = "raft-entry";
  static final String SNAPSHOT = "raft-snapshot";
  private static final Logger log = LoggerFactory.getLogger(StoreStateMachine.class);

  /** What the node wants to hear from Ratis. Implementations must not block. */
  interface Events {
    void leaderReady();

    void leaderChanged(RaftPeerId newLeader);

    void configurationChanged();

    void snapshotTaken(long index);
  }

  private final MemoryStore store;
  private final DataKey key;
  private final Events events;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private volatile Throwable fatal;
  /** Futures waiting for the local apply of an index, by index; guarded by itself. */
  private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();

  StoreStateMachine(MemoryStore store, DataKey key, Events events) {
    this.store = store;
    this.key = key;
    this.events = events;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    // NEW -> STARTING -> RUNNING: pause() below needs RUNNING to start from.
    getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()), IOException.class);
  }

  /**
   * Ratis pauses the state machine before it writes a snapshot received from the leader, then
   * asserts the state is PAUSED before {@link #reinitialize()}. BaseStateMachine's pause() does
   * nothing, so without this override the assertion fails and the follower's server shuts down.
   */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** After a snapshot install: load it (rescanning the directory: the cached latest is stale). */
  @Override
  public void reinitialize() throws IOException {
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()), IOException.class);
    } else {
      load(storage.loadLatestSnapshot());
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) return;
    Path path = snapshot.getFile().getPath();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) MD5FileUtil.verifySavedMD5(path.toFile(), md5);
    byte[] bytes = DataKey.openWith(key, Files.readAllBytes(path), SNAPSHOT);
    store.restore(bytes);
    TermIndex ti = snapshot.getTermIndex();
    setLastAppliedTermIndex(ti);
    log.info("loaded raft snapshot at {} (store index {})", ti, store.index());
    release(ti.getIndex());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) return -1;
    byte[] bytes = store.snapshot();
    if (key != null) bytes = key.seal(bytes, SNAPSHOT);
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".writing");
    Files.write(tmp, bytes);
    // A crash mid-write must not leave a truncated file under a valid snapshot name.
    Files.move(tmp, target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
    log.debug("took raft snapshot at {} ({} bytes)", last, bytes.length);
    events.snapshotTaken(last.getIndex());
    return last.getIndex();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    // Decryption failure is local to this node (wrong key): throwing makes Ratis stop this
    // server, which is better than a replica that silently skips entries the others applied.
    byte[] data;
    try {
      data = DataKey.openWith(key, entry.getStateMachineLogEntry().getLogData().toByteArray(), ENTRY);
    } catch (IllegalStateException e) {
      fatal = e;
      log.error("raft entry {} cannot be opened; stopping raft on this node: {}", index, e.getMessage());
      throw e;
    }
    Message reply;
    try {
      Proposal p = Codec.decode(data);
      store.apply(p, index);
      reply = Outcome.ok(index);
    } catch (RuntimeException e) {
      // Every replica decides the same way (apply is deterministic): no divergence, just an error
      // for the proposer. UncheckedIOException = an entry this version cannot decode.
      if (e instanceof UncheckedIOException) {
        log.warn("raft entry {} cannot be decoded by this version: {}", index, e.toString());
      } else if (!(e instanceof io.shoal.api.error.ShoalException)) {
        log.error("raft entry {} failed to apply", index, e);
      }
      reply = Outcome.failed(index, e);
    }
    updateLastAppliedTermIndex(entry.getTerm(), index);
    release(index);
    return CompletableFuture.completedFuture(reply);
  }

  /** Configuration and no-op entries advance the applied index too. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    release(index);
  }

  /** Completes once this node's store has applied {@code index} (or a snapshot beyond it). */
  CompletableFuture<Void> awaitApplied(long index) {
    synchronized (waiters) {
      TermIndex applied = getLastAppliedTermIndex();
      if (applied != null && applied.getIndex() >= index) return CompletableFuture.completedFuture(null);
      CompletableFuture<Void> f = new CompletableFuture<>();
      waiters.computeIfAbsent(index, i -> new ArrayList<>()).add(f);
      return f;
    }
  }

  /** What stopped this state machine for good (an entry it cannot open), or null. */
  Throwable fatal() {
    return fatal;
  }

  long appliedIndex() {
    TermIndex t = getLastAppliedTermIndex();
    return t == null ? -1 : t.getIndex();
  }

  private void release(long index) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (waiters) {
      Map<Long, List<CompletableFuture<Void>>> head = waiters.headMap(index, true);
      head.values().forEach(done::addAll);
      head.clear();
    }
    done.forEach(f -> f.complete(null));
  }

  /** Fails every waiter (the node is closing). */
  void failWaiters(RuntimeException e) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    synchronized (waiters) {
      waiters.values().forEach(all::addAll);
      waiters.clear();
    }
    all.forEach(f -> f.completeExceptionally(e));
  }

  // Leadership: the leader is "ready" once its first entry of the term is applied, i.e. the store
  // holds everything committed before; only then may leader-only components read it.
  @Override
  public void notifyLeaderReady() {
    events.leaderReady();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    events.leaderChanged(newLeader);
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pending) {
    events.leaderChanged(null);
  }

  @Override
  public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto conf) {
    events.configurationChanged();
  }
}
