package io.shoal.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A Swarm join token, {@code SWMTKN-1-<digest>-<secret>}: the SHA-256 digest of the root CA
 * bundle (base 36, zero-padded to 50 characters) lets a joining node check the CA a manager hands
 * it before trusting it; the 16 random bytes (base 36, 25 characters) are the shared secret that
 * decides the role. Worker and manager tokens of one swarm differ only in the secret.
 *
 * <p>Immutable. {@link #toString()} hides the secret so tokens do not leak into logs; {@link
 * #value()} is the full token.
 */
public record JoinToken(String caDigestPart, String secretPart) {
  public static final String PREFIX = "SWMTKN";
  public static final String VERSION = "1";
  /** ceil(log36(2^256)): a SHA-256 digest in base 36. */
  public static final int DIGEST_CHARS = 50;
  /** ceil(log36(2^128)): 16 random bytes in base 36. */
  public static final int SECRET_CHARS = 25;
  public static final int SECRET_BYTES = 16;
  /** {@code "SWMTKN-1-".length() + 50 + 1 + 25}. */
  public static final int LENGTH = PREFIX.length() + VERSION.length() + 2 + DIGEST_CHARS + 1 + SECRET_CHARS;

  public JoinToken {
    checkPart(caDigestPart, DIGEST_CHARS, 256, "CA digest part");
    checkPart(secretPart, SECRET_CHARS, 128, "secret part");
  }

  /** A new token for {@code ca} with a fresh secret drawn from {@code random}. */
  public static JoinToken generate(RootCA ca, RandomGenerator random) {
    return generate(ca.digest(), random);
  }

  /** A new token for the CA whose SHA-256 digest is {@code caDigest} (32 bytes). */
  public static JoinToken generate(byte[] caDigest, RandomGenerator random) {
    if (caDigest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + caDigest.length);
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return new JoinToken(base36(caDigest, DIGEST_CHARS), base36(secret, SECRET_CHARS));
  }

  /**
   * Parses a token as a user typed it (surrounding whitespace is ignored). Every failure is a
   * {@link CaException.InvalidToken} whose message says what is wrong.
   */
  public static JoinToken parse(String token) {
    if (token == null || token.isBlank()) {
      throw new CaException.InvalidToken("the token is empty");
    }
    String t = token.strip();
    if (!t.startsWith(PREFIX + "-")) {
      throw new CaException.InvalidToken("it must start with " + PREFIX + "-" + VERSION + "-");
    }
    String[] parts = t.split("-", -1);
    if (parts.length != 4) {
      throw new CaException.InvalidToken(
          "expected 4 dash-separated parts (SWMTKN-1-<CA digest>-<secret>), got " + parts.length);
    }
    if (!VERSION.equals(parts[1])) {
      throw new CaException.InvalidToken(
          "unsupported token version \"" + parts[1] + "\" (only " + PREFIX + "-" + VERSION + " is known)");
    }
    return new JoinToken(parts[2], parts[3]);
  }

  /** The full token, {@code SWMTKN-1-<digest>-<secret>}. */
  public String value() {
    return PREFIX + "-" + VERSION + "-" + caDigestPart + "-" + secretPart;
  }

  /** The CA digest this token carries (32 bytes). */
  public byte[] caDigest() {
    return fromBase36(caDigestPart, 32);
  }

  /** {@link #caDigest()} as 64 lowercase hex digits. */
  public String caDigestHex() {
    return HexFormat.of().formatHex(caDigest());
  }

  /** The same swarm, a new secret: {@code swarm join-token --rotate}. */
  public JoinToken rotate(RandomGenerator random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return new JoinToken(caDigestPart, base36(secret, SECRET_CHARS));
  }

  /** The same secret for a new root CA (after a CA rotation tokens keep their secrets). */
  public JoinToken forRootCA(RootCA ca) {
    return new JoinToken(base36(ca.digest(), DIGEST_CHARS), secretPart);
  }

  /** Whether {@code ca} is the CA this token names. */
  public boolean matches(RootCA ca) {
    return MessageDigest.isEqual(caDigest(), ca.digest());
  }

  /**
   * The check a joining node makes on the root CA a manager sent before trusting anything that
   * manager says: the bundle's digest must be the token's. Returns the CA (without key) to trust,
   * or throws {@link CaException.DigestMismatch} naming both digests.
   */
  public RootCA verifyRootCA(String fetchedPem) {
    RootCA fetched;
    try {
      fetched = RootCA.trustOnly(fetchedPem);
    } catch (CaException.InvalidCertificate e) {
      throw new CaException.InvalidCertificate(
          "the manager sent an invalid root CA certificate: " + e.getMessage(), e);
    }
    verifyRootCA(fetched);
    return fetched;
  }

  /** As {@link #verifyRootCA(String)} for an already parsed CA. */
  public void verifyRootCA(RootCA fetched) {
    if (!matches(fetched)) {
      throw new CaException.DigestMismatch(caDigestHex(), fetched.digestHex());
    }
  }

  /** Constant-time comparison of the secrets (the digest part is public). */
  public boolean sameSecret(JoinToken other) {
    return MessageDigest.isEqual(
        secretPart.getBytes(StandardCharsets.US_ASCII),
        other.secretPart.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return PREFIX + "-" + VERSION + "-" + caDigestPart + "-<secret>";
  }

  // ---------------------------------------------------------------------------------------------

  static String base36(byte[] bytes, int width) {
    String s = new BigInteger(1, bytes).toString(36);
    return "0".repeat(Math.max(0, width - s.length())) + s;
  }

  private static byte[] fromBase36(String s, int size) {
    byte[] raw = new BigInteger(s, 36).toByteArray();
    byte[] out = new byte[size];
    // toByteArray may carry a leading sign byte or be shorter: right-align into size bytes.
    int copy = Math.min(raw.length, size);
    System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
    return out;
  }

  private static void checkPart(String part, int chars, int bits, String what) {
    if (part == null) {
      throw new CaException.InvalidToken("the " + what + " is missing");
    }
    if (part.length() != chars) {
      throw new CaException.InvalidToken(
          "the " + what + " must be " + chars + " base-36 characters, got " + part.length());
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        throw new CaException.InvalidToken(
            "the " + what + " has a non-base-36 character '" + c + "' at position " + (i + 1)
                + " (only 0-9 and a-z)");
      }
    }
    if (new BigInteger(part, 36).bitLength() > bits) {
      throw new CaException.InvalidToken("the " + what + " is larger than " + bits + " bits");
    }
  }
}
