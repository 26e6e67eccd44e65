package io.shoal.daemon.swarm;

import io.shoal.ca.CertificateStore;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeRole;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.rpc.ManagerClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's certificate fresh and its role in step with the swarm, without a restart:
 * at the renewal point of the current certificate (see {@code RenewalSchedule}), or at once when
 * the leader says the certificate should carry another role, it asks the leader for a new
 * certificate, writes it (0600) under the data root, hands it to the key manager every TLS
 * handshake reads, and replaces the client channels. After a role change it runs the node's
 * reconcile step (start or stop the manager). A failure is logged and retried with {@link
 * RenewalBackoff}.
 *
 * <p>Threading: one thread of its own; {@link #requestRole} may be called from any thread.
 */
public final class CertificateRenewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
  /** A renewal for the same wanted role is not repeated sooner than this (a race, not a change). */
  static final Duration ROLE_RETRY = Duration.ofSeconds(10);

  /**
   * The node side of a role change; throws to be retried.
   *
   * @param renewed the last renewal's answer in this run, null if none yet
   */
  @FunctionalInterface
  public interface Reconcile {
    void run(NodeRole certificateRole, ManagerClient.Renewed renewed) throws Exception;
  }

  /** Thrown by a {@link Reconcile} that needs a fresh renewal's answer (raft details) first. */
  public static final class RenewFirst extends RuntimeException {
    public RenewFirst(String message) {
      super(message);
    }
  }

  private final NodeKeyManager keyManager;
  private final CertificateStore files;
  private final Supplier<ManagerClient.Renewed> renew;
  private final Runnable refreshChannels;
  private final Function<X509Certificate, Instant> renewAt;
  private final Reconcile reconcile;
  private final Clock clock;
  private final RandomGenerator random;
  private final ScheduledExecutorService thread;

  // confined to the renewer thread, except wanted and failures (volatile, read by requestRole)
  private Instant dueAt;
  private boolean reconcilePending = true; // once at start: a crash may have left role and runtime apart
  private volatile int failures;
  private Instant lastRoleRenewal = Instant.MIN;
  private NodeRole lastRoleAsked;
  private boolean forceRenewal;
  private ManagerClient.Renewed lastRenewed;
  private volatile NodeRole wanted;
  private ScheduledFuture<?> next;

  /**
   * @param renew the network call (ManagerClient.renew with this node's CA, random, clock)
   * @param renewAt the renewal point of a certificate ({@code RenewalSchedule::renewAt} in production)
   */
  public CertificateRenewer(NodeKeyManager keyManager, CertificateStore files, Supplier<ManagerClient.Renewed> renew,
      Runnable refreshChannels, Function<X509Certificate, Instant> renewAt, Reconcile reconcile, Clock clock,
      RandomGenerator random) {
    this.keyManager = keyManager;
    this.files = files;
    this.renew = renew;
    this.refreshChannels = refreshChannels;
    this.renewAt = renewAt;
    this.reconcile = reconcile;
    this.clock = clock;
    this.random = random;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-cert-renewer");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    thread.execute(() -> {
      dueAt = renewAt.apply(keyManager.credentials().certificate());
      log.info("node certificate valid until {}; renewal at {}", keyManager.credentials().notAfter(), dueAt);
      tick();
    });
  }

  /** The leader says this node's certificate should carry {@code role}: renew now if it does not. */
  public void requestRole(NodeRole role) {
    if (role == null) return;
    NodeRole before = wanted;
    wanted = role;
    // asked with every heartbeat: act only on a difference; tick() spaces out repeated tries
    if (role == currentRole()) return;
    if (role != before) {
      log.info("the swarm wants this node to be a {}; its certificate says {}: renewing now", role.apiName(),
          currentRole().apiName());
    }
    if (failures > 0) return; // a retry is scheduled, and it will see the wanted role
    try {
      thread.execute(this::tick);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** When the current certificate is due for renewal (for tests and logs). */
  public Instant dueAt() {
    return dueAt;
  }

  private NodeRole currentRole() {
    return keyManager.credentials().identity().role();
  }

  private void tick() {
    if (dueAt == null) return; // asked before start(): start's own tick comes next
    if (next != null) next.cancel(false);
    next = null;
    Instant now = clock.instant();
    try {
      NodeRole w = wanted;
      boolean roleDue = w != null && w != currentRole()
          && (w != lastRoleAsked || !now.isBefore(lastRoleRenewal.plus(ROLE_RETRY)));
      if (!now.isBefore(dueAt) || roleDue || forceRenewal) {
        if (roleDue) {
          lastRoleRenewal = now;
          lastRoleAsked = w;
        }
        renewNow();
        forceRenewal = false;
      }
      if (reconcilePending) {
        try {
          reconcile.run(currentRole(), lastRenewed);
        } catch (RenewFirst e) {
          forceRenewal = true;
          throw e;
        }
        reconcilePending = false;
      }
      failures = 0;
      schedule(Duration.between(clock.instant(), dueAt));
    } catch (Exception e) {
      failures++;
      Duration wait = RenewalBackoff.delay(failures, random.nextDouble());
      Instant notAfter = keyManager.credentials().notAfter();
      if (now.isAfter(notAfter)) {
        log.error("this node's certificate expired at {}; the managers refuse it, so it cannot renew. Leave the swarm "
            + "(docker swarm leave --force) and join it again. Retrying in {} s: {}", notAfter, wait.toSeconds(), e.toString());
      } else {
        log.warn("certificate renewal or role change failed (attempt {}), retrying in {} ms; certificate valid until {}: {}",
            failures, wait.toMillis(), notAfter, e.toString());
      }
      schedule(wait);
    }
  }

  private void renewNow() {
    NodeCredentials before = keyManager.credentials();
    ManagerClient.Renewed r = renew.get();
    NodeCredentials creds = r.credentials();
    lastRenewed = r;
    if (!creds.identity().nodeId().equals(before.identity().nodeId())
        || !creds.identity().clusterId().equals(before.identity().clusterId())) {
      throw new IllegalStateException("the renewed certificate is for " + creds.identity() + ", not " + before.identity());
    }
    files.writeNode(creds);
    keyManager.update(creds);
    refreshChannels.run();
    dueAt = renewAt.apply(creds.certificate());
    if (creds.identity().role() != before.identity().role()) reconcilePending = true;
    log.info("node certificate renewed ({}), valid until {}; next renewal at {}", creds.identity().role().apiName(),
        creds.notAfter(), dueAt);
  }

  private void schedule(Duration d) {
    long ms = Math.max(0, d.toMillis());
    try {
      next = thread.schedule(this::tick, ms, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
