package io.shoal.store;

import static io.shoal.store.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Secret;
import io.shoal.api.model.StoreObject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit: writers share proposals, failures reach exactly the writes built on them. */
class GroupCommitTest {
  private final MemoryStore store = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
  private final ManualProposer raft = new ManualProposer(store);
  private final ExecutorService writers = Executors.newCachedThreadPool();

  GroupCommitTest() {
    store.setProposer(raft);
  }

  @AfterEach
  void stop() {
    writers.shutdownNow();
  }

  private Future<?> write(java.util.function.Consumer<WriteTx> fn) {
    return writers.submit(() -> store.update(fn));
  }

  private static Secret counter(String id, int n) {
    return new Secret(id, io.shoal.api.model.Version.ZERO, null, null,
        new Secret.Spec(id, Map.of("n", Integer.toString(n)), "eA==", null, null));
  }

  private static Secret bump(Secret s) {
    int n = Integer.parseInt(s.spec().labels().get("n"));
    return new Secret(s.id(), s.version(), s.createdAt(), s.updatedAt(),
        new Secret.Spec(s.spec().name(), Map.of("n", Integer.toString(n + 1)), "eA==", null, null));
  }

  private int count(String id) {
    Secret s = store.view(tx -> tx.get(StoreObject.Kind.SECRET, id));
    return Integer.parseInt(s.spec().labels().get("n"));
  }

  private void seed(Secret s) throws Exception {
    Future<?> f = write(tx -> tx.create(s));
    raft.commit(raft.take());
    f.get();
  }

  @Test
  void writesArrivingWhileOneIsInFlightGoOutTogetherAndSeeEachOther() throws Exception {
    seed(counter("x", 0));
    Future<?> first = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x"))));
    ManualProposer.Sent inFlight = raft.take();
    List<Future<?>> more = new ArrayList<>();
    for (int i = 0; i < 10; i++) more.add(write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x")))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 10);
    assertThat(raft.nothingSent()).as("only one proposal in flight").isTrue();

    raft.commit(inFlight);
    first.get();
    ManualProposer.Sent group = raft.take();
    assertThat(group.proposal().actions()).hasSize(10);
    assertThat(raft.commit(group)).isTrue();
    for (Future<?> f : more) f.get();
    assertThat(count("x")).isEqualTo(11);
    long version = store.view(tx -> tx.get(StoreObject.Kind.SECRET, "x").version().index());
    assertThat(version).isEqualTo(3L);
  }

  @Test
  void aFailedProposalFailsEveryWriteBuiltOnItAndNothingElse() throws Exception {
    seed(counter("x", 0));
    Future<?> t1 = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x"))));
    ManualProposer.Sent inFlight = raft.take();
    Future<?> t2 = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x")))); // built on t1
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);
    Future<?> t3 = write(tx -> tx.create(counter("y", 7))); // independent
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 2);

    raft.fail(inFlight);
    assertThatThrownBy(t1::get).hasCauseInstanceOf(ShoalException.Unavailable.class);
    assertThatThrownBy(t2::get).hasCauseInstanceOf(ShoalException.Unavailable.class);
    ManualProposer.Sent next = raft.take();
    assertThat(next.proposal().actions()).extracting(StoreAction::id).containsExactly("y");
    raft.commit(next);
    t3.get();
    assertThat(count("x")).isZero();
    assertThat(count("y")).isEqualTo(7);
  }

  @Test
  void aWriteFromTheCommittedCopyOfAnObjectWithAPendingWriteIsOutOfSequence() throws Exception {
    seed(counter("x", 0));
    Secret committed = store.view(tx -> tx.get(StoreObject.Kind.SECRET, "x"));
    Future<?> t1 = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x"))));
    ManualProposer.Sent inFlight = raft.take();
    assertThatThrownBy(() -> store.update(tx -> tx.update(bump(committed))))
        .isInstanceOf(ShoalException.SequenceConflict.class).hasMessage("update out of sequence");
    raft.commit(inFlight);
    t1.get();
    assertThat(count("x")).isEqualTo(1);
  }

  @Test
  void aGroupRejectedAtApplyIsRetriedOneByOneSoOnlyTheStaleWriteFails() throws Exception {
    seed(counter("x", 0));
    Future<?> t0 = write(tx -> tx.create(counter("w", 0)));
    ManualProposer.Sent inFlight = raft.take();
    Future<?> stale = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);
    Future<?> good = write(tx -> tx.create(counter("y", 1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 2);
    // a write this store did not make (forwarded by a follower) moves x on under the queued one
    Secret x = store.view(tx -> tx.get(StoreObject.Kind.SECRET, "x"));
    assertThat(raft.external(new Proposal(T0, List.of(StoreAction.update(bump(bump(x))))))).isTrue();

    raft.commit(inFlight);
    t0.get();
    ManualProposer.Sent both = raft.take();
    assertThat(both.proposal().actions()).hasSize(2);
    assertThat(raft.commit(both)).isFalse();
    ManualProposer.Sent alone1 = raft.take();
    assertThat(raft.commit(alone1)).isFalse();
    assertThatThrownBy(stale::get).hasCauseInstanceOf(ShoalException.SequenceConflict.class);
    ManualProposer.Sent alone2 = raft.take();
    assertThat(raft.commit(alone2)).isTrue();
    good.get();
    assertThat(count("x")).isEqualTo(2);
    assertThat(count("y")).isEqualTo(1);
  }

  @Test
  void aCreateAndAnUpdateOfItInOneGroupApplyInOrder() throws Exception {
    seed(counter("w", 0));
    Future<?> t0 = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "w"))));
    ManualProposer.Sent inFlight = raft.take();
    Future<?> create = write(tx -> tx.create(counter("z", 0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);
    Future<?> update = write(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "z"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 2);
    Watch watch = store.watch(e -> e.subject() instanceof Secret s && s.id().equals("z"));
    raft.commit(inFlight);
    t0.get();
    assertThat(raft.commit(raft.take())).isTrue();
    create.get();
    update.get();
    assertThat(count("z")).isEqualTo(1);
    List<StoreEvent> events = watch.drain();
    assertThat(events).hasSize(4); // the first is the in-flight write's commit
    assertThat(events.get(1)).isInstanceOf(StoreEvent.Created.class);
    assertThat(events.get(2)).isInstanceOf(StoreEvent.Updated.class);
    assertThat(events.get(3)).isInstanceOf(StoreEvent.Commit.class);
  }

  @Test
  void aBatchGoesOutInFewProposalsAndAPlainUpdateFromItsCallbackDoesNotWaitBehindIt() {
    MemoryStore local = store();
    Watch w = local.watch(e -> false);
    local.batch(b -> {
      for (int i = 0; i < 1200; i++) {
        int k = i;
        b.update(tx -> tx.create(counter("s" + k, k)));
      }
      local.update(tx -> tx.create(counter("inside", 0)));
    });
    long commits = w.drain().stream().filter(e -> e instanceof StoreEvent.Commit).count();
    assertThat(commits).isEqualTo(4); // 500 + 500 (let go at the limit), the rest, the inner update
    assertThat(local.<List<Secret>>view(tx -> tx.secrets())).hasSize(1201);
  }

  @Test
  void updateAsyncReturnsAtOnceAndCompletesOnCommit() throws Exception {
    seed(counter("x", 0));
    java.util.concurrent.CompletableFuture<Void> f = store.updateAsync(tx -> tx.update(bump(tx.get(StoreObject.Kind.SECRET, "x"))));
    assertThat(f).isNotDone();
    raft.commit(raft.take());
    f.get();
    assertThat(count("x")).isEqualTo(1);
    assertThat(store.updateAsync(tx -> tx.create(counter("x", 5)))).isCompletedExceptionally();
    assertThat(store.updateAsync(tx -> {})).isCompleted();
  }

  @Test
  void aBatchKeepsOneChunkQueuedSoOtherWritersGoOutBetweenItsChunks() throws Exception {
    Future<?> batch = writers.submit(() -> store.batch(b -> {
      for (int i = 0; i < 1000; i++) {
        int k = i;
        b.update(tx -> tx.create(counter("b" + k, k)));
      }
    }));
    ManualProposer.Sent chunk1 = raft.take();
    assertThat(chunk1.proposal().actions()).hasSize(500);
    Future<?> other = write(tx -> tx.create(counter("other", 0)));
    // the batch waits for its first chunk before queueing more: only the other write is queued
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);
    raft.commit(chunk1);
    ManualProposer.Sent next = raft.take();
    assertThat(next.proposal().actions()).extracting(StoreAction::id).containsExactly("other");
    raft.commit(next);
    other.get();
    ManualProposer.Sent chunk2 = raft.take();
    assertThat(chunk2.proposal().actions()).hasSize(500);
    raft.commit(chunk2);
    batch.get();
    assertThat(store.<List<Secret>>view(tx -> tx.secrets())).hasSize(1001);
  }

  @Test
  void writingFromInsideACallbackIsRefused() {
    MemoryStore local = store();
    assertThatThrownBy(() -> local.update(tx -> local.update(t -> t.create(counter("a", 0)))))
        .isInstanceOf(IllegalStateException.class);
  }
}
