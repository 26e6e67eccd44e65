package io.shoal.daemon.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.ca.ApiCertificates;
import io.shoal.ca.CaException;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import io.shoal.store.MemoryStore;
import io.shoal.store.ReadTx;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Issues the TCP API's certificates from the swarm CA a manager holds (the cluster object in raft
 * carries the CA key, so any manager can sign, leader or not; nothing is written): the server
 * certificate of this node's TLS listener, and client certificates for users. Both default to the
 * swarm's node certificate lifetime ({@code docker swarm update --cert-expiry}).
 *
 * <p>Thread-safe: it only reads the store.
 */
public final class ApiCertificateIssuer {
  /** {@code POST /shoal/client-certificates}: a user's CSR (PEM), their name, and an optional lifetime in ns. */
  public record ClientRequest(String name, @JsonProperty("CSR") String csr, Long expiry) {}

  /** The signed client certificate and the root CA to trust the server with, both PEM. */
  public record ClientCertificate(String name, String certificate, @JsonProperty("CACertificate") String caCertificate,
      Instant notAfter) {}

  private final MemoryStore store;
  private final Clock clock;
  private final SecureRandom random;

  public ApiCertificateIssuer(MemoryStore store, Clock clock, SecureRandom random) {
    this.store = store;
    this.clock = clock;
    this.random = random;
  }

  /** Signs a client certificate; bad input is {@link ShoalException.InvalidSpec} (400). */
  public ClientCertificate client(ClientRequest req) {
    if (req == null) throw new ShoalException.InvalidSpec("a request body with Name and CSR is required");
    if (req.name() == null || req.name().isBlank()) throw new ShoalException.InvalidSpec("a client name is required");
    if (req.csr() == null || req.csr().isBlank()) throw new ShoalException.InvalidSpec("a certificate signing request (CSR, PEM) is required");
    if (req.expiry() != null && req.expiry() < 0) throw new ShoalException.InvalidSpec("expiry must not be negative");
    Cluster c = cluster();
    Duration expiry = req.expiry() == null || req.expiry() == 0 ? clusterExpiry(c) : Duration.ofNanos(req.expiry());
    RootCA ca = rootCA(c);
    X509Certificate cert;
    try {
      cert = ApiCertificates.signClient(ca, req.csr(), req.name(), c.id(), expiry, clock, random);
    } catch (IllegalArgumentException e) {
      throw new ShoalException.InvalidSpec(e.getMessage());
    } catch (CaException e) {
      if (e.httpStatus() == 400) throw new ShoalException.InvalidSpec(e.getMessage());
      throw e;
    }
    return new ClientCertificate(req.name(), Pem.encodeCertificate(cert), ca.certificatePem(), cert.getNotAfter().toInstant());
  }

  /** A fresh key and server certificate for this node's TLS listener, naming {@code names}. */
  public NodeCredentials server(String nodeId, List<String> names) {
    Cluster c = cluster();
    return ApiCertificates.issueServer(rootCA(c), nodeId, c.id(), names, clusterExpiry(c), clock, random);
  }

  /** The swarm's root CA, key included. */
  public RootCA rootCA() {
    return rootCA(cluster());
  }

  private Cluster cluster() {
    Cluster c = store.view(ReadTx::cluster);
    if (c == null || c.rootCA() == null || c.rootCA().caKey() == null) {
      throw new ShoalException.NotAManager();
    }
    return c;
  }

  private RootCA rootCA(Cluster c) {
    return RootCA.load(c.rootCA().caCert(), c.rootCA().caKey(), clock);
  }

  private static Duration clusterExpiry(Cluster c) {
    Long ns = c.spec() == null || c.spec().caConfig() == null ? null : c.spec().caConfig().nodeCertExpiry();
    return ns == null || ns == 0 ? null : Duration.ofNanos(ns);
  }
}
