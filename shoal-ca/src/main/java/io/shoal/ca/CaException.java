package io.shoal.ca;

/**
 * Every failure this module reports. Sealed so the API edge can map each kind to a Docker-style
 * status without guessing; the message is written for the user who typed the command.
 */
public abstract sealed class CaException extends RuntimeException
    permits CaException.InvalidToken,
        CaException.UnknownToken,
        CaException.DigestMismatch,
        CaException.InvalidCertificate,
        CaException.InvalidCsr,
        CaException.InvalidExpiry,
        CaException.CannotSign,
        CaException.Storage,
        CaException.Crypto {

  CaException(String message) {
    super(message);
  }

  CaException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The HTTP status Docker's API would answer for this failure. */
  public abstract int httpStatus();

  /** The token is not shaped like {@code SWMTKN-1-<50 base36>-<25 base36>}. */
  public static final class InvalidToken extends CaException {
    public InvalidToken(String detail) {
      super("invalid join token: " + detail);
    }

    public int httpStatus() {
      return 400;
    }
  }

  /**
   * The token is well formed but admits nobody: its secret matches neither role (rotated or
   * mistyped) or it names another swarm's CA.
   */
  public static final class UnknownToken extends CaException {
    public UnknownToken(String detail) {
      super("a valid join token is necessary to join this cluster: " + detail);
    }

    public int httpStatus() {
      return 403;
    }
  }

  /** A fetched root CA does not hash to the digest the join token carries. */
  public static final class DigestMismatch extends CaException {
    private final String expected;
    private final String actual;

    public DigestMismatch(String expected, String actual) {
      super("remote CA does not match the fingerprint in the join token: expected sha256:"
          + expected + ", the manager sent a CA with sha256:" + actual);
      this.expected = expected;
      this.actual = actual;
    }

    /** Hex SHA-256 the token asked for. */
    public String expected() {
      return expected;
    }

    /** Hex SHA-256 of what was received. */
    public String actual() {
      return actual;
    }

    public int httpStatus() {
      return 400;
    }
  }

  /** PEM that does not parse, a key that does not match, a cert not from this CA, expired... */
  public static final class InvalidCertificate extends CaException {
    public InvalidCertificate(String message) {
      super(message);
    }

    public InvalidCertificate(String message, Throwable cause) {
      super(message, cause);
    }

    public int httpStatus() {
      return 400;
    }
  }

  /** A certificate signing request that does not parse, or whose signature or key is unusable. */
  public static final class InvalidCsr extends CaException {
    public InvalidCsr(String message) {
      super("invalid certificate signing request: " + message);
    }

    public InvalidCsr(String message, Throwable cause) {
      super("invalid certificate signing request: " + message, cause);
    }

    public int httpStatus() {
      return 400;
    }
  }

  /** A node certificate expiry below the minimum (one hour, as Swarm). */
  public static final class InvalidExpiry extends CaException {
    public InvalidExpiry(String message) {
      super(message);
    }

    public int httpStatus() {
      return 400;
    }
  }

  /** This root CA has no private key here (a worker's copy), so it cannot sign. */
  public static final class CannotSign extends CaException {
    public CannotSign(String message) {
      super(message);
    }

    public int httpStatus() {
      return 503;
    }
  }

  /** Reading or writing the certificate directory failed. */
  public static final class Storage extends CaException {
    public Storage(String message, Throwable cause) {
      super(message, cause);
    }

    public int httpStatus() {
      return 500;
    }
  }

  /** The JVM's crypto refused an operation that should always work (a bug or a broken JDK). */
  public static final class Crypto extends CaException {
    public Crypto(String message, Throwable cause) {
      super(message, cause);
    }

    public int httpStatus() {
      return 500;
    }
  }
}
