package io.shoal.rpc;

import io.grpc.Status;

/**
 * A remote failure that is none of Shoal's typed errors: an internal error on the peer, a
 * malformed message, an unimplemented method (an older peer). Carries the gRPC status code so
 * callers can still tell kinds apart; the message names the peer.
 */
public final class RpcException extends RuntimeException {
  private final Status.Code code;

  public RpcException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }
}
