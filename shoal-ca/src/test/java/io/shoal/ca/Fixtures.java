package io.shoal.ca;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared test material: a fixed clock, seeded randomness, and helpers to issue node credentials. */
public final class Fixtures {
  private Fixtures() {}

  /** Inside the validity of the openssl-made user CA in test resources (made 2026-11-21, 20 y). */
  public static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");

  public static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  public static Clock clockAt(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  /** A deterministic SecureRandom: SHA1PRNG seeded before first use never self-seeds. */
  public static SecureRandom secureRandom(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Key pair, CSR, signature, and the node-side acceptance, at {@code clock}. */
  public static NodeCredentials issue(
      RootCA ca, NodeRole role, String nodeId, String clusterId, Duration expiry, Clock clock,
      SecureRandom random) {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    String csr = NodeCertificates.createCsr(kp, random);
    X509Certificate cert = ca.sign(csr, new NodeIdentity(nodeId, role, clusterId), expiry, clock, random);
    return NodeCertificates.accept(kp, cert, ca, clock.instant());
  }

  public static NodeCredentials issue(RootCA ca, NodeRole role, String nodeId) {
    return issue(ca, role, nodeId, "cluster1", null, clock(), secureRandom(nodeId.hashCode()));
  }
}
