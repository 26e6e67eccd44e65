package io.shoal.daemon.tls;

import io.shoal.ca.NodeCredentials;
import io.shoal.ca.tls.NodeKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS API's server key manager: a {@link NodeKeyManager} (so a swap never breaks a handshake
 * in flight) over a certificate this node issued itself, re-issued when two thirds of its life
 * have passed. The check runs at the start of each server handshake, so no timer is needed and an
 * idle daemon does nothing; the node certificate's own renewal does not touch it.
 *
 * <p>If re-issuing fails (e.g. the CA key is gone), the current certificate keeps being served
 * until it expires and the failure is logged; the next try comes a minute later, not on every
 * handshake. Thread-safe.
 */
public final class RenewingKeyManager extends X509ExtendedKeyManager {
  private static final Logger log = LoggerFactory.getLogger(RenewingKeyManager.class);
  static final Duration RETRY = Duration.ofMinutes(1);

  private final Supplier<NodeCredentials> issuer;
  private final Clock clock;
  private final NodeKeyManager current;
  private volatile Instant renewAt;

  /** Issues the first certificate now; {@code issuer}'s exceptions propagate from here. */
  public RenewingKeyManager(Supplier<NodeCredentials> issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
    NodeCredentials first = issuer.get();
    this.current = new NodeKeyManager(first);
    this.renewAt = renewAt(first, clock.instant());
  }

  /** Two thirds into the certificate's life from when it was issued. */
  static Instant renewAt(NodeCredentials c, Instant issuedAt) {
    Duration life = Duration.between(issuedAt, c.notAfter());
    return issuedAt.plus(life.multipliedBy(2).dividedBy(3));
  }

  public NodeCredentials credentials() {
    return current.credentials();
  }

  /** Re-issues if due; cheap when not (one volatile read). */
  public void renewIfDue() {
    Instant now = clock.instant();
    if (now.isBefore(renewAt)) return;
    synchronized (this) {
      if (now.isBefore(renewAt)) return;
      try {
        NodeCredentials fresh = issuer.get();
        current.update(fresh);
        renewAt = renewAt(fresh, now);
        log.info("TLS API server certificate renewed, valid until {}", fresh.notAfter());
      } catch (RuntimeException e) {
        renewAt = now.plus(RETRY);
        log.warn("could not renew the TLS API server certificate (valid until {}): {}",
            current.credentials().notAfter(), e.toString());
      }
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    renewIfDue();
    return current.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    renewIfDue();
    return current.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.getPrivateKey(alias);
  }

  // a server never presents a client certificate
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
