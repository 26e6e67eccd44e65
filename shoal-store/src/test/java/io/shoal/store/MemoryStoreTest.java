package io.shoal.store;

import static io.shoal.store.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private final MemoryStore store = store();

  @Test
  void createUpdateDeleteStampVersionsAndTimes() {
    store.update(tx -> tx.create(service("s1", "web")));
    Service s = store.view(tx -> tx.service("s1"));
    assertThat(s.version().index()).isEqualTo(1);
    assertThat(s.createdAt()).isEqualTo(T0);
    assertThat(store.index()).isEqualTo(1);

    store.update(tx -> tx.update(tx.service("s1").withSpec(spec("web").withLabels(java.util.Map.of("x", "y")), null)));
    Service u = store.view(tx -> tx.service("s1"));
    assertThat(u.version().index()).isEqualTo(2);
    assertThat(u.createdAt()).isEqualTo(T0);
    assertThat(u.spec().labels()).containsEntry("x", "y");

    store.update(tx -> tx.delete(StoreObject.Kind.SERVICE, "s1"));
    assertThat(store.<List<?>>view(tx -> tx.services())).isEmpty();
    assertThat((Object) store.view(tx -> tx.byName(StoreObject.Kind.SERVICE, "web"))).isNull();
    assertThatThrownBy(() -> store.update(tx -> tx.delete(StoreObject.Kind.SERVICE, "s1")))
        .isInstanceOf(ShoalException.NotFound.class);
  }

  @Test
  void staleVersionInTransactionIsASequenceConflict() {
    store.update(tx -> tx.create(service("s1", "web")));
    Service read = store.view(tx -> tx.service("s1"));
    store.update(tx -> tx.update(tx.service("s1").withSpec(spec("web"), null)));
    assertThatThrownBy(() -> store.update(tx -> tx.update(read.withSpec(spec("web"), null))))
        .isInstanceOf(ShoalException.SequenceConflict.class).hasMessage("update out of sequence");
  }

  @Test
  void staleProposalIsRejectedWholeAndChangesNothing() {
    store.update(tx -> {
      tx.create(service("s1", "web"));
      tx.create(task("t1", "s1", 1, "n1"));
    });
    Service stale = store.view(tx -> tx.service("s1"));
    Task t1 = store.view(tx -> tx.task("t1"));
    store.update(tx -> tx.update(tx.service("s1").withSpec(spec("web"), null)));
    long before = store.index();
    Watch w = store.watch(e -> true);
    // a proposal made from an older read (as a slow replica's leader would): one good write, one stale
    Proposal p = new Proposal(T0, List.of(
        StoreAction.update(t1.withNode("n2")),
        StoreAction.create(task("t2", "s1", 2, null)),
        StoreAction.update(stale.withSpec(spec("web").withLabels(java.util.Map.of("z", "z")), null))));
    CompletableFuture<Long> f = store.proposer().propose(p);
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::join).hasCauseInstanceOf(ShoalException.SequenceConflict.class);
    assertThat(store.index()).isEqualTo(before);
    assertThat((Object) store.view(tx -> tx.task("t1").nodeID())).isEqualTo("n1");
    assertThat((Object) store.view(tx -> tx.task("t2"))).isNull();
    assertThat(store.<List<?>>view(tx -> tx.tasksOfNode("n2"))).isEmpty();
    assertThat(w.drain()).isEmpty();
    // and the next proposal gets the next index: no gap left by the rejected one
    store.update(tx -> tx.create(task("t3", "s1", 3, null)));
    assertThat(store.index()).isEqualTo(before + 1);
  }

  @Test
  void uniqueNamesPerTable() {
    store.update(tx -> tx.create(service("s1", "web")));
    assertThatThrownBy(() -> store.update(tx -> tx.create(service("s2", "web"))))
        .isInstanceOf(ShoalException.NameConflict.class).hasMessageContaining("web");
    // same name in another table is fine
    store.update(tx -> tx.create(network("n1", "web")));
    store.update(tx -> tx.create(service("s2", "api")));
    Service s2 = store.view(tx -> tx.service("s2"));
    assertThatThrownBy(() -> store.update(tx -> tx.update(s2.withSpec(spec("web"), null))))
        .isInstanceOf(ShoalException.NameConflict.class);
    // two creates with one name in one transaction
    assertThatThrownBy(() -> store.update(tx -> {
      tx.create(service("s3", "db"));
      tx.create(service("s4", "db"));
    })).isInstanceOf(ShoalException.NameConflict.class);
    assertThat((Object) store.view(tx -> tx.service("s3"))).isNull();
    // a name freed by delete or rename can be taken in the same transaction
    store.update(tx -> {
      tx.delete(StoreObject.Kind.SERVICE, "s1");
      tx.create(service("s5", "web"));
    });
    assertThat(store.<String>view(tx -> tx.<Service>byName(StoreObject.Kind.SERVICE, "web").id())).isEqualTo("s5");
    store.update(tx -> {
      tx.update(tx.service("s5").withSpec(spec("web2"), null));
      tx.create(service("s6", "web"));
    });
    assertThat(store.<String>view(tx -> tx.<Service>byName(StoreObject.Kind.SERVICE, "web").id())).isEqualTo("s6");
    assertThat(store.<String>view(tx -> tx.<Service>byName(StoreObject.Kind.SERVICE, "web2").id())).isEqualTo("s5");
  }

  @Test
  void overlayReadsItsOwnWritesIncludingMoves() {
    store.update(tx -> {
      tx.create(service("s1", "web"));
      tx.create(task("t1", "s1", 1, "n1"));
      tx.create(task("t2", "s1", 2, "n1"));
      tx.create(task("t3", "s2", 1, "n2"));
    });
    store.update(tx -> {
      tx.update(tx.task("t1").withNode("n2"));
      tx.create(task("t4", "s1", 3, "n2"));
      tx.delete(StoreObject.Kind.TASK, "t2");
      Task moved = tx.task("t3");
      tx.update(new Task(moved.id(), moved.version(), moved.createdAt(), moved.updatedAt(), moved.name(), moved.labels(),
          moved.spec(), "s1", 4, "n1", moved.status(), moved.desiredState(), moved.specVersion(), null, null));
      assertThat(ids(tx.tasksOfNode("n1"))).containsExactlyInAnyOrder("t3");
      assertThat(ids(tx.tasksOfNode("n2"))).containsExactlyInAnyOrder("t1", "t4");
      assertThat(ids(tx.tasksOfService("s1"))).containsExactlyInAnyOrder("t1", "t3", "t4");
      assertThat(ids(tx.tasksOfService("s2"))).isEmpty();
      assertThat(ids(tx.tasks())).containsExactlyInAnyOrder("t1", "t3", "t4");
      assertThat(tx.task("t2")).isNull();
      assertThat(tx.task("t1").nodeID()).isEqualTo("n2");
      assertThat(tx.size()).isEqualTo(4);
      // the committed state is untouched until the callback returns
      assertThat(store.<List<String>>view(r -> ids(r.tasksOfNode("n1")))).containsExactlyInAnyOrder("t1", "t2");
    });
    assertThat(store.<List<String>>view(tx -> ids(tx.tasksOfNode("n1")))).containsExactlyInAnyOrder("t3");
    assertThat(store.<List<String>>view(tx -> ids(tx.tasksOfNode("n2")))).containsExactlyInAnyOrder("t1", "t4");
    assertThat(store.<List<String>>view(tx -> ids(tx.tasksOfService("s1")))).containsExactlyInAnyOrder("t1", "t3", "t4");
    assertThat(store.<List<?>>view(tx -> tx.tasksOfService("s2"))).isEmpty();
  }

  @Test
  void createThenUpdateInOneTransactionIsOneCreate() {
    Watch w = store.watch(e -> true);
    store.update(tx -> {
      tx.create(task("t1", "s1", 1, null));
      tx.update(tx.task("t1").withNode("n1"));
      tx.create(task("t2", "s1", 2, null));
      tx.delete(StoreObject.Kind.TASK, "t2");
    });
    List<StoreEvent> ev = w.drain();
    assertThat(ev).hasSize(2);
    assertThat(ev.get(0)).isInstanceOf(StoreEvent.Created.class);
    assertThat(((Task) ev.get(0).subject()).nodeID()).isEqualTo("n1");
    assertThat(store.<List<?>>view(tx -> tx.tasksOfNode("n1"))).hasSize(1);
  }

  @Test
  void failedCallbackWritesNothing() {
    assertThatThrownBy(() -> store.update(tx -> {
      tx.create(service("s1", "web"));
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(store.<List<?>>view(tx -> tx.services())).isEmpty();
    assertThat(store.index()).isZero();
  }

  @Test
  void watchSeesEventsInApplyOrderThenCommit() {
    store.update(tx -> tx.create(service("s1", "web")));
    Watch w = store.watch(e -> e.subject() instanceof Task);
    store.update(tx -> {
      tx.create(task("t1", "s1", 1, null));
      tx.create(task("t2", "s1", 2, null));
    });
    store.update(tx -> {
      tx.update(tx.task("t1").withNode("n1"));
      tx.delete(StoreObject.Kind.TASK, "t2");
      tx.update(tx.service("s1").withSpec(spec("web"), null)); // filtered out
    });
    List<StoreEvent> ev = w.drain();
    assertThat(ev).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Created", "Created", "Commit", "Updated", "Deleted", "Commit");
    assertThat(((StoreEvent.Commit) ev.get(2)).index()).isEqualTo(2);
    StoreEvent.Updated u = (StoreEvent.Updated) ev.get(3);
    assertThat(((Task) u.old()).nodeID()).isNull();
    assertThat(((Task) u.object()).nodeID()).isEqualTo("n1");
    assertThat(((Task) u.object()).version().index()).isEqualTo(3);
    assertThat(ev.get(4).subject().id()).isEqualTo("t2");
    w.close();
    store.update(tx -> tx.create(task("t3", "s1", 3, null)));
    assertThat(w.drain()).isEmpty();
  }

  @Test
  void viewAndWatchContinuesExactlyWhereTheReadEnded() {
    store.update(tx -> tx.create(task("t1", "s1", 1, null)));
    MemoryStore.Watched<List<Task>> r = store.viewAndWatch(tx -> tx.tasks(), e -> true);
    assertThat(r.value()).hasSize(1);
    assertThat(r.watch().drain()).isEmpty(); // the create before the read is not seen again
    store.update(tx -> tx.create(task("t2", "s1", 2, null)));
    assertThat(r.watch().drain()).extracting(StoreEvent::getClass)
        .containsExactly(StoreEvent.Created.class, StoreEvent.Commit.class);
  }

  @Test
  void batchFlushesInProposalsOfAtMostMaxActions() {
    List<Integer> sizes = new ArrayList<>();
    Proposer local = store.proposer();
    store.setProposer(new Proposer() {
      public CompletableFuture<Long> propose(Proposal p) {
        sizes.add(p.actions().size());
        return local.propose(p);
      }

      public boolean isLeader() {
        return true;
      }
    });
    int n = MemoryStore.MAX_BATCH_ACTIONS * 2 + 7;
    store.batch(b -> {
      for (int i = 0; i < n; i++) {
        int k = i;
        b.update(tx -> tx.create(task("t" + k, "s1", k, null)));
      }
    });
    assertThat(sizes).containsExactly(MemoryStore.MAX_BATCH_ACTIONS, MemoryStore.MAX_BATCH_ACTIONS, 7);
    assertThat(store.<List<?>>view(tx -> tx.tasks())).hasSize(n);

    // a transaction that would overflow the current proposal goes into the next one, whole
    sizes.clear();
    store.batch(b -> {
      for (int i = 0; i < MemoryStore.MAX_BATCH_ACTIONS - 1; i++) {
        int k = i;
        b.update(tx -> tx.update(tx.task("t" + k).withNode("n1")));
      }
      b.update(tx -> {
        tx.update(tx.task("t" + (n - 1)).withNode("n2"));
        tx.update(tx.task("t" + (n - 2)).withNode("n2"));
      });
    });
    assertThat(sizes).allMatch(s -> s <= MemoryStore.MAX_BATCH_ACTIONS);
    assertThat(sizes).containsExactly(MemoryStore.MAX_BATCH_ACTIONS - 1, 2);
    assertThat(store.<List<?>>view(tx -> tx.tasksOfNode("n1"))).hasSize(MemoryStore.MAX_BATCH_ACTIONS - 1);
    assertThat(store.<List<?>>view(tx -> tx.tasksOfNode("n2"))).hasSize(2);
  }

  @Test
  void batchTransactionsSeeEarlierUnflushedWrites() {
    store.batch(b -> {
      b.update(tx -> tx.create(task("t1", "s1", 1, null)));
      b.update(tx -> tx.update(tx.task("t1").withNode("n1")));
      b.update(tx -> assertThat(ids(tx.tasksOfNode("n1"))).containsExactly("t1"));
      b.update(tx -> tx.update(tx.task("t1").withNode("n2")));
    });
    Task t = store.view(tx -> tx.task("t1"));
    assertThat(t.nodeID()).isEqualTo("n2");
    assertThat(store.<List<?>>view(tx -> tx.tasksOfNode("n1"))).isEmpty();
  }

  @Test
  void snapshotRestoreRoundTripAndReset() {
    store.update(tx -> {
      tx.create(cluster("c1"));
      tx.create(node("n1"));
      tx.create(service("s1", "web"));
      tx.create(task("t1", "s1", 1, "n1"));
      tx.create(network("net1", "ingress"));
      tx.create(secret("sec1", "pw"));
      tx.create(config("cfg1", "conf"));
    });
    store.update(tx -> tx.update(tx.task("t1").withNode("n2")));
    byte[] snap = store.snapshot();

    MemoryStore other = Fixtures.store();
    other.update(tx -> tx.create(service("zz", "gone")));
    Watch w = other.watch(e -> false);
    other.restore(snap);
    assertThat(w.drain()).containsExactly(new StoreEvent.Reset(2));
    assertThat(other.index()).isEqualTo(2);
    for (StoreObject.Kind k : StoreObject.Kind.values()) {
      assertThat(other.<List<StoreObject>>view(tx -> tx.all(k))).as(k.name())
          .containsExactlyInAnyOrderElementsOf(store.<List<StoreObject>>view(tx -> tx.all(k)));
    }
    assertThat((Object) other.view(tx -> tx.service("zz"))).isNull();
    assertThat((Object) other.view(tx -> tx.byName(StoreObject.Kind.SERVICE, "web"))).isNotNull();
    assertThat(other.<List<String>>view(tx -> ids(tx.tasksOfNode("n2")))).containsExactly("t1");
    assertThat(other.<List<String>>view(tx -> ids(tx.tasksOfService("s1")))).containsExactly("t1");
    // writes after a restore continue after the snapshot's index
    other.update(tx -> tx.create(service("s2", "api")));
    assertThat(other.<Long>view(tx -> tx.service("s2").version().index())).isEqualTo(3L);
  }

  @Test
  void noProposerMeansUnavailable() {
    MemoryStore s = new MemoryStore(java.time.Clock.systemUTC());
    assertThatThrownBy(() -> s.update(tx -> tx.create(service("s1", "web"))))
        .isInstanceOf(ShoalException.Unavailable.class);
  }

  static List<String> ids(List<? extends StoreObject> l) {
    return l.stream().map(StoreObject::id).toList();
  }
}
