package io.shoal.daemon.swarm;

import io.shoal.raft.RaftNode;
import io.shoal.store.MemoryStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's half of {@code docker node demote} (SwarmKit's role manager): a raft member the
 * store now calls a worker is removed from the raft group, once {@link Membership#removalRefusal}
 * allows it (quorum kept). Once removed, the CA signs worker certificates for it and the node,
 * told so with its next heartbeat, renews and stops its manager. Promotion needs nothing here:
 * the promoted node joins raft itself.
 *
 * <p>Threading: one thread of its own, checking every second — raft reachability, which decides
 * whether a removal is safe, changes without a store event to wake on. Leader-only: started and
 * closed with leadership.
 */
final class RoleReconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoleReconciler.class);
  private final MemoryStore store;
  private final RaftNode raft;
  private final ScheduledExecutorService thread;
  /** Why each held demotion waits, so the reason is logged once, not every second. */
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  RoleReconciler(MemoryStore store, RaftNode raft) {
    this.store = store;
    this.raft = raft;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-role-reconciler");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::reconcile, 1, 1, TimeUnit.SECONDS);
  }

  private void reconcile() {
    try {
      if (!raft.isLeader()) return;
      Set<String> members = raft.members();
      List<String> pending = store.view(tx -> Membership.pendingRemovals(tx.nodes(), members));
      for (String id : pending) {
        Optional<String> refusal = Membership.removalRefusal(id, raft.id(), raft.peers());
        if (refusal.isPresent()) {
          if (told.add(id + "|" + refusal.get())) {
            log.warn("node {} was demoted but stays in raft for now: {}", id, refusal.get());
          }
          continue;
        }
        log.info("node {} was demoted: removing it from raft", id);
        raft.removePeer(id);
        told.removeIf(k -> k.startsWith(id + "|"));
        return; // one change at a time: the next round sees the new configuration
      }
    } catch (RuntimeException e) {
      log.warn("demotion: raft membership change failed, retrying: {}", e.toString());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
