package io.shoal.cli.client;

/**
 * The daemon answered with an error status. {@link #getMessage()} is the {@code message} of its
 * JSON error body, which the CLI prints as {@code Error response from daemon: <message>}.
 */
public final class DaemonException extends RuntimeException {
  private final int status;

  public DaemonException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
