package io.shoal.rpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.CaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed errors across the wire. The server turns an exception into a gRPC status whose code says
 * the kind to gRPC-aware code (UNAVAILABLE makes clients fail over) and whose trailing metadata
 * names the exact Shoal type; the client rebuilds that type with the same message, so code above
 * the transport catches {@code ShoalException.NotFound} whether the call was local or remote.
 *
 * <p>Stateless and thread-safe.
 */
public final class RpcErrors {
  private static final Logger log = LoggerFactory.getLogger(RpcErrors.class);

  private RpcErrors() {}

  /** Trailer naming the exception type ({@code NotFound}, {@code ca.UnknownToken}, ...). */
  public static final Metadata.Key<String> TYPE =
      Metadata.Key.of("shoal-error-type", Metadata.ASCII_STRING_MARSHALLER);
  /** Trailer with the leader's cluster address on NotLeader (and on any error, when known). */
  public static final Metadata.Key<String> LEADER =
      Metadata.Key.of("shoal-leader", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> EXPECTED =
      Metadata.Key.of("shoal-digest-expected", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ACTUAL =
      Metadata.Key.of("shoal-digest-actual", Metadata.ASCII_STRING_MARSHALLER);

  private static final String UNKNOWN_TOKEN_PREFIX = "a valid join token is necessary to join this cluster: ";
  private static final String INVALID_TOKEN_PREFIX = "invalid join token: ";
  private static final String INVALID_CSR_PREFIX = "invalid certificate signing request: ";

  /** The status and trailers for {@code t} thrown by a handler; {@code leader} may be null. */
  public static StatusRuntimeException toStatus(Throwable t, String leader) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    Metadata md = new Metadata();
    Status status;
    String type;
    if (t instanceof ShoalException se) {
      type = se.getClass().getSimpleName();
      status = shoalStatus(se);
    } else if (t instanceof Dispatcher.SessionExpired) {
      type = "SessionExpired";
      status = Status.FAILED_PRECONDITION;
    } else if (t instanceof CaException ce) {
      type = "ca." + ce.getClass().getSimpleName();
      if (ce instanceof CaException.DigestMismatch dm) {
        md.put(EXPECTED, dm.expected());
        md.put(ACTUAL, dm.actual());
      }
      status = caStatus(ce);
    } else if (t instanceof IllegalArgumentException) {
      type = "InvalidSpec";
      status = Status.INVALID_ARGUMENT;
    } else {
      // A bug on this side: the caller gets the text, the stack trace stays in our log.
      log.warn("cluster RPC handler failed", t);
      type = null;
      status = Status.INTERNAL;
    }
    if (type != null) {
      md.put(TYPE, type);
    }
    if (leader != null && !leader.isEmpty()) {
      md.put(LEADER, leader);
    }
    String msg = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return status.withDescription(msg).asRuntimeException(md);
  }

  // Java 17: no pattern switch over sealed types, so an if-chain; the sealed hierarchies keep
  // the list short and the RpcErrorsTest round-trips every permitted subclass.
  private static Status shoalStatus(ShoalException e) {
    if (e instanceof ShoalException.NotFound) return Status.NOT_FOUND;
    if (e instanceof ShoalException.InvalidSpec) return Status.INVALID_ARGUMENT;
    if (e instanceof ShoalException.NameConflict) return Status.ALREADY_EXISTS;
    if (e instanceof ShoalException.SequenceConflict) return Status.ABORTED;
    if (e instanceof ShoalException.Forbidden) return Status.PERMISSION_DENIED;
    // NotLeader, Unavailable, NotAManager: another manager may serve it, clients fail over
    return Status.UNAVAILABLE;
  }

  private static Status caStatus(CaException e) {
    if (e instanceof CaException.UnknownToken) return Status.PERMISSION_DENIED;
    if (e instanceof CaException.DigestMismatch) return Status.FAILED_PRECONDITION;
    // another manager may hold the key: let clients fail over
    if (e instanceof CaException.CannotSign) return Status.UNAVAILABLE;
    if (e instanceof CaException.Storage || e instanceof CaException.Crypto) return Status.INTERNAL;
    // InvalidToken, InvalidCertificate, InvalidCsr, InvalidExpiry
    return Status.INVALID_ARGUMENT;
  }

  /** The leader address the peer sent with an error, or null. */
  public static String leaderHint(StatusRuntimeException e) {
    Metadata md = e.getTrailers();
    return md == null ? null : md.get(LEADER);
  }

  /** The Shoal type name the peer sent, or null (a transport or untyped failure). */
  public static String typeOf(StatusRuntimeException e) {
    Metadata md = e.getTrailers();
    return md == null ? null : md.get(TYPE);
  }

  /**
   * Whether another manager may succeed where this one failed: unreachable, not the leader, not
   * a manager, or without quorum. What the failover loops test.
   */
  public static boolean isRetryableElsewhere(StatusRuntimeException e) {
    Status.Code c = e.getStatus().getCode();
    return c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED && typeOf(e) == null;
  }

  /**
   * Rebuilds the exception the peer at {@code addr} threw: the same Shoal or CA type and message
   * when tagged; otherwise UNAVAILABLE/DEADLINE_EXCEEDED become {@code ShoalException.Unavailable}
   * ("cannot reach X"), PERMISSION_DENIED/UNAUTHENTICATED {@code Forbidden}, anything else {@link
   * RpcException}.
   */
  public static RuntimeException fromStatus(StatusRuntimeException e, String addr) {
    String type = typeOf(e);
    String msg = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    if (type != null) {
      RuntimeException typed = typed(type, msg, e);
      if (typed != null) {
        return typed;
      }
    }
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new ShoalException.Unavailable(
          "cannot reach " + addr + ": " + transportReason(e), e);
      case PERMISSION_DENIED, UNAUTHENTICATED -> new ShoalException.Forbidden(msg);
      default -> new RpcException(e.getStatus().getCode(),
          addr + " answered " + e.getStatus().getCode() + (msg.isEmpty() ? "" : ": " + msg), e);
    };
  }

  /**
   * A one-line reason for a transport failure a user can act on: the deepest cause's text (the
   * OS's "Connection refused", the DNS failure, the certificate check that failed in the TLS
   * handshake) rather than gRPC's generic "io exception" and its Netty pipeline dump.
   */
  static String transportReason(StatusRuntimeException e) {
    String desc = firstLine(e.getStatus().getDescription());
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "no answer in time (" + (desc == null ? "deadline exceeded" : desc) + ")";
    }
    Throwable root = e.getStatus().getCause();
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root == null ? null : firstLine(root.getMessage());
    if (cause != null) {
      // Netty's native transport prefixes the errno text with the syscall that failed.
      cause = cause.replaceFirst("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", "");
    }
    if (cause == null || cause.isEmpty()) {
      return desc == null ? e.getStatus().getCode().toString() : desc;
    }
    if (desc == null || desc.equals("io exception") || desc.contains(cause)) {
      return cause;
    }
    return desc + ": " + cause;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return null;
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  private static RuntimeException typed(String type, String msg, Throwable cause) {
    return switch (type) {
      case "NotFound" -> new ShoalException.NotFound(msg);
      case "InvalidSpec" -> new ShoalException.InvalidSpec(msg);
      case "NameConflict" -> new ShoalException.NameConflict(msg);
      case "SequenceConflict" -> new ShoalException.SequenceConflict(msg);
      case "NotLeader" -> new ShoalException.NotLeader(msg);
      case "Unavailable" -> new ShoalException.Unavailable(msg);
      case "NotAManager" -> new ShoalException.NotAManager(msg);
      case "Forbidden" -> new ShoalException.Forbidden(msg);
      case "SessionExpired" -> new Dispatcher.SessionExpired(msg);
      case "ca.InvalidToken" -> new CaException.InvalidToken(strip(msg, INVALID_TOKEN_PREFIX));
      case "ca.UnknownToken" -> new CaException.UnknownToken(strip(msg, UNKNOWN_TOKEN_PREFIX));
      case "ca.DigestMismatch" -> digestMismatch(cause, msg);
      case "ca.InvalidCertificate" -> new CaException.InvalidCertificate(msg);
      case "ca.InvalidCsr" -> new CaException.InvalidCsr(strip(msg, INVALID_CSR_PREFIX));
      case "ca.InvalidExpiry" -> new CaException.InvalidExpiry(msg);
      case "ca.CannotSign" -> new CaException.CannotSign(msg);
      case "ca.Storage" -> new CaException.Storage(msg, null);
      case "ca.Crypto" -> new CaException.Crypto(msg, null);
      default -> null; // a type a newer peer knows and we do not: fall back to the status code
    };
  }

  private static RuntimeException digestMismatch(Throwable cause, String msg) {
    Metadata md = cause instanceof StatusRuntimeException s ? s.getTrailers() : null;
    String expected = md == null ? null : md.get(EXPECTED);
    String actual = md == null ? null : md.get(ACTUAL);
    if (expected == null || actual == null) {
      return new CaException.InvalidCertificate(msg);
    }
    return new CaException.DigestMismatch(expected, actual);
  }

  private static String strip(String msg, String prefix) {
    return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
  }
}
