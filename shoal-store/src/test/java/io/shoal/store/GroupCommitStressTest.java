package io.shoal.store;

import static io.shoal.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Secret;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Version;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many writers incrementing a few shared counters, each increment also creating a marker object,
 * through a raft stand-in that (seeded) fails some proposals before commit and slips in writes of
 * its own that make queued ones stale. Afterwards: every acknowledged increment and marker is in
 * the store and no unacknowledged one is (a write built on a failed one would carry its increment),
 * the store equals a replay of the committed log on a fresh store, and a watcher saw each commit
 * once, in order. Thread interleavings vary between runs; the failure pattern is the seed's.
 */
class GroupCommitStressTest {
  private static final int WRITERS = 6;
  private static final int WRITES_EACH = 150;
  private static final int COUNTERS = 3;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42})
  void acknowledgedWritesAreExactlyTheAppliedOnes(long seed) throws Exception {
    try {
      run(seed);
    } catch (AssertionError | Exception e) {
      throw new AssertionError("GroupCommitStressTest failed with seed " + seed + ": " + e.getMessage(), e);
    }
  }

  private void run(long seed) throws Exception {
    MemoryStore store = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
    ManualProposer raft = new ManualProposer(store);
    store.setProposer(raft);
    Watch watch = store.watch(e -> true);
    for (int c = 0; c < COUNTERS; c++) {
      Secret s = counter("c" + c, 0);
      raft.external(new Proposal(T0, List.of(StoreAction.create(s))));
    }

    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    AtomicInteger externalBumps = new AtomicInteger();
    Map<String, Boolean> markers = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int wid = w;
      Thread t = new Thread(() -> {
        SplittableRandom r = new SplittableRandom(seed * 31 + wid);
        for (int i = 0; i < WRITES_EACH; i++) {
          String c = "c" + r.nextInt(COUNTERS);
          String marker = "m-" + wid + "-" + i;
          boolean observe = r.nextBoolean();
          try {
            if (observe) {
              // a read-only dependency: the marker records a value of c that must have existed
              store.update(tx -> {
                Secret cur = tx.get(StoreObject.Kind.SECRET, c);
                tx.create(observation(marker, c, cur.spec().labels().get("n")));
              });
            } else {
              store.update(tx -> {
                tx.update(bump(tx.get(StoreObject.Kind.SECRET, c), 1));
                tx.create(counter(marker, 0));
              });
              acked.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
            }
            markers.put(marker, true);
          } catch (ShoalException e) {
            markers.put(marker, false);
          }
        }
      }, "writer-" + w);
      t.start();
      threads.add(t);
    }
    // raft: commit, fail, or slip an outside write in before committing, as the seed says
    Thread driver = new Thread(() -> {
      SplittableRandom r = new SplittableRandom(seed);
      try {
        while (writing.get() || !raft.nothingSent()) {
          ManualProposer.Sent s = raft.pollSent();
          if (s == null) continue;
          int dice = r.nextInt(100);
          if (dice < 15) {
            raft.fail(s);
          } else {
            if (dice < 25) {
              String c = "c" + r.nextInt(COUNTERS);
              Secret cur = store.view(tx -> tx.get(StoreObject.Kind.SECRET, c));
              if (raft.external(new Proposal(T0, List.of(StoreAction.update(bump(cur, 1000)))))) externalBumps.addAndGet(1000);
            }
            raft.commit(s);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "raft");
    driver.start();
    for (Thread t : threads) t.join(60_000);
    writing.set(false);
    driver.join(60_000);
    assertThat(threads).noneMatch(Thread::isAlive);

    int total = 0;
    for (int c = 0; c < COUNTERS; c++) {
      int n = acked.getOrDefault("c" + c, new AtomicInteger()).get();
      total += n;
      String id = "c" + c;
      int stored = Integer.parseInt(store.<Secret>view(tx -> tx.get(StoreObject.Kind.SECRET, id)).spec().labels().get("n"));
      assertThat(stored % 1000).as("acknowledged increments of c" + c).isEqualTo(n);
    }
    int sum = 0;
    for (int c = 0; c < COUNTERS; c++) {
      int cc = c;
      sum += Integer.parseInt(store.<Secret>view(tx -> tx.get(StoreObject.Kind.SECRET, "c" + cc)).spec().labels().get("n"));
    }
    assertThat(sum).isEqualTo(total + externalBumps.get());
    for (Map.Entry<String, Boolean> m : markers.entrySet()) {
      Object stored = store.view(tx -> tx.get(StoreObject.Kind.SECRET, m.getKey()));
      assertThat(stored != null).as("marker " + m.getKey() + " acknowledged=" + m.getValue()).isEqualTo(m.getValue());
    }
    assertThat(markers).hasSize(WRITERS * WRITES_EACH);
    assertThat(markers.values()).as("some writes failed and some succeeded").contains(true, false);

    long failed = markers.values().stream().filter(ok -> !ok).count();
    int largest = raft.log().stream().mapToInt(e -> e.proposal().actions().size() / 2).max().orElse(0);
    System.out.printf("seed %d: %d entries in the log, %d writes failed, largest group %d transactions%n", seed,
        raft.log().size(), failed, largest);
    MemoryStore replay = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
    for (ManualProposer.Entry e : raft.log()) {
      try {
        replay.apply(e.proposal(), e.index());
      } catch (ShoalException rejected) {
        // rejected on the original too: the log keeps it, every replica refuses it
      }
    }
    assertThat(contents(replay)).isEqualTo(contents(store));

    Map<String, StoreObject> fromEvents = new HashMap<>();
    Map<String, java.util.Set<String>> history = new HashMap<>();
    long lastCommit = 0;
    for (StoreEvent e : watch.drain()) {
      if (e.subject() instanceof Secret s && s.id().startsWith("c")) {
        history.computeIfAbsent(s.id(), k -> new java.util.HashSet<>()).add(s.spec().labels().get("n"));
      }
      if (e instanceof StoreEvent.Created c) {
        assertThat(fromEvents.put(c.object().id(), c.object())).as("created twice").isNull();
      } else if (e instanceof StoreEvent.Updated u) {
        assertThat(fromEvents.put(u.object().id(), u.object())).isEqualTo(u.old());
      } else if (e instanceof StoreEvent.Deleted d) {
        fromEvents.remove(d.object().id());
      } else if (e instanceof StoreEvent.Commit c) {
        assertThat(c.index()).isGreaterThan(lastCommit);
        lastCommit = c.index();
      } else {
        throw new AssertionError("unexpected " + e);
      }
    }
    assertThat(sorted(new ArrayList<>(fromEvents.values()))).isEqualTo(contents(store));
    for (StoreObject o : contents(store)) {
      Map<String, String> l = ((Secret) o).spec().labels();
      if (l.containsKey("saw")) {
        assertThat(history.get(l.get("of"))).as("observation " + o.id() + " of a value that was never committed").contains(l.get("saw"));
      }
    }
  }

  private static List<StoreObject> contents(MemoryStore s) {
    return sorted(s.view(tx -> new ArrayList<StoreObject>(tx.secrets())));
  }

  private static List<StoreObject> sorted(List<StoreObject> l) {
    l.sort(Comparator.comparing(StoreObject::id));
    return l;
  }

  private static Secret counter(String id, int n) {
    return new Secret(id, Version.ZERO, null, null, new Secret.Spec(id, Map.of("n", Integer.toString(n)), "eA==", null, null));
  }

  private static Secret observation(String id, String of, String saw) {
    return new Secret(id, Version.ZERO, null, null, new Secret.Spec(id, Map.of("of", of, "saw", saw), "eA==", null, null));
  }

  private static Secret bump(Secret s, int by) {
    int n = Integer.parseInt(s.spec().labels().get("n"));
    return new Secret(s.id(), s.version(), s.createdAt(), s.updatedAt(),
        new Secret.Spec(s.spec().name(), Map.of("n", Integer.toString(n + by)), "eA==", null, null));
  }
}
