package io.shoal.ca;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to renew a node certificate: at {@code notBefore + f × validity} with {@code f} drawn
 * uniformly from [50 %, 80 %). The random point spreads renewals of certificates issued together
 * (a whole swarm after {@code swarm init}) so they do not hit the CA at once, and 20 % of the life
 * remains to retry if the CA is away.
 *
 * <p>Pure apart from the injected clock and random source; not thread-safe if the random source
 * is not. The caller (the daemon's renewal loop) draws once per certificate and then asks {@link
 * #isDue} or {@link #delayUntil}.
 */
public final class RenewalSchedule {
  public static final double LOWER = 0.5;
  public static final double UPPER = 0.8;

  private final Clock clock;
  private final RandomGenerator random;

  public RenewalSchedule(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /** The renewal moment for {@code cert}. */
  public Instant renewAt(X509Certificate cert) {
    return renewAt(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
  }

  /** The renewal moment for a certificate valid from {@code notBefore} to {@code notAfter}. */
  public Instant renewAt(Instant notBefore, Instant notAfter) {
    long life = Duration.between(notBefore, notAfter).toMillis();
    if (life <= 0) {
      return notBefore;
    }
    long lo = (long) (life * LOWER);
    long hi = (long) (life * UPPER);
    long offset = hi > lo ? random.nextLong(lo, hi) : lo;
    return notBefore.plusMillis(offset);
  }

  /** Whether {@code renewAt} has come. */
  public boolean isDue(Instant renewAt) {
    return !clock.instant().isBefore(renewAt);
  }

  /** How long until {@code renewAt}; zero if it has passed (an expired certificate renews now). */
  public Duration delayUntil(Instant renewAt) {
    Duration d = Duration.between(clock.instant(), renewAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
