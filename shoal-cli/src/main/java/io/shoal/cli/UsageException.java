package io.shoal.cli;

/**
 * A flag or argument the user gave is wrong. Thrown before any request is sent, so a bad command
 * line changes nothing; the CLI prints the message and exits 1.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }

  /** Docker's wording: {@code invalid argument "x" for "--flag" flag: reason}. */
  public static UsageException badValue(String flag, String value, String reason) {
    return new UsageException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + reason);
  }
}
