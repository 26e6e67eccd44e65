package io.shoal.api.error;

/**
 * Shoal's typed errors. Each kind maps to one HTTP status of Docker's API (see {@link #httpStatus()}),
 * so a component throws what happened and the API edge never guesses.
 */
public abstract sealed class ShoalException extends RuntimeException
    permits ShoalException.NotFound,
        ShoalException.InvalidSpec,
        ShoalException.NameConflict,
        ShoalException.SequenceConflict,
        ShoalException.NotLeader,
        ShoalException.Unavailable,
        ShoalException.NotAManager,
        ShoalException.Forbidden {

  protected ShoalException(String message) {
    super(message);
  }

  protected ShoalException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract int httpStatus();

  /** 404: the named object does not exist. */
  public static final class NotFound extends ShoalException {
    public NotFound(String message) {
      super(message);
    }

    public int httpStatus() {
      return 404;
    }
  }

  /** 400: the request is malformed or the spec breaks a rule. */
  public static final class InvalidSpec extends ShoalException {
    public InvalidSpec(String message) {
      super(message);
    }

    public InvalidSpec(String message, Throwable cause) {
      super(message, cause);
    }

    public int httpStatus() {
      return 400;
    }
  }

  /** 409: another object already has this name (or id). */
  public static final class NameConflict extends ShoalException {
    public NameConflict(String message) {
      super(message);
    }

    public int httpStatus() {
      return 409;
    }
  }

  /** 409 in Docker's words ("update out of sequence"): the object changed since it was read. */
  public static final class SequenceConflict extends ShoalException {
    public SequenceConflict(String message) {
      super(message);
    }

    public int httpStatus() {
      return 409;
    }
  }

  /** 503: this manager is not the leader and cannot reach one. */
  public static final class NotLeader extends ShoalException {
    public NotLeader(String message) {
      super(message);
    }

    public int httpStatus() {
      return 503;
    }
  }

  /** 503: the cluster cannot accept writes now (no quorum, shutting down). */
  public static final class Unavailable extends ShoalException {
    public Unavailable(String message) {
      super(message);
    }

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }

    public int httpStatus() {
      return 503;
    }
  }

  /** 503 with Docker's exact text: the node is not (or not yet) a swarm manager. */
  public static final class NotAManager extends ShoalException {
    public static final String TEXT =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to"
            + " connect this node to swarm and try again.";

    public NotAManager() {
      super(TEXT);
    }

    public NotAManager(String message) {
      super(message);
    }

    public int httpStatus() {
      return 503;
    }
  }

  /** 403: the request is understood but not allowed (e.g. removing a running node). */
  public static final class Forbidden extends ShoalException {
    public Forbidden(String message) {
      super(message);
    }

    public int httpStatus() {
      return 403;
    }
  }
}
