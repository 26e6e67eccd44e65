package io.shoal.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.shoal.ca.CaException;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.rpc.ClusterProtocol.Access;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides, per call, whether the peer may call the method, from the certificate it presented in
 * the TLS handshake (never from the request body), and hands the verified identity to the
 * handler through the gRPC {@link Context}.
 *
 * <p>The handshake already checked the chain to the root CA; this re-checks what can change on a
 * live connection: the node was removed since it connected, or its certificate expired while the
 * connection stayed open. Thread-safe; runs on the server's executor.
 */
final class PeerAuthInterceptor implements ServerInterceptor {
  /** The caller's identity (null on ANYONE methods when no certificate was sent). */
  static final Context.Key<NodeIdentity> PEER = Context.key("shoal-peer-identity");
  /** The caller's IP address as the server saw it. */
  static final Context.Key<String> PEER_HOST = Context.key("shoal-peer-host");

  private final Predicate<String> revoked;
  private final Clock clock;

  PeerAuthInterceptor(Predicate<String> revoked, Clock clock) {
    this.revoked = revoked;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Access access = ClusterProtocol.ACCESS.get(method);
    String bare = call.getMethodDescriptor().getBareMethodName();
    if (access == null) {
      return refuse(call, Status.PERMISSION_DENIED, "method " + method + " is not open to anyone");
    }
    X509Certificate cert = peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    NodeIdentity id = null;
    if (cert != null) {
      try {
        id = NodeIdentity.of(cert);
      } catch (CaException | IllegalArgumentException e) {
        if (access != Access.ANYONE) {
          return refuse(call, Status.PERMISSION_DENIED, "not a swarm node certificate: " + e.getMessage());
        }
      }
    }
    if (access != Access.ANYONE) {
      if (id == null) {
        return refuse(call, Status.UNAUTHENTICATED,
            bare + " needs a swarm node certificate; this node has none (join the swarm first)");
      }
      if (revoked.test(id.nodeId())) {
        return refuse(call, Status.PERMISSION_DENIED, "node " + id.nodeId() + " was removed from the swarm: "
            + "leave it (docker swarm leave --force) and join it again");
      }
      Instant now = clock.instant();
      if (now.isAfter(cert.getNotAfter().toInstant())) {
        return refuse(call, Status.PERMISSION_DENIED, "the certificate of node " + id.nodeId()
            + " expired at " + cert.getNotAfter().toInstant() + "; it is " + now);
      }
      if (access == Access.MANAGER && id.role() != NodeRole.MANAGER) {
        return refuse(call, Status.PERMISSION_DENIED, "node " + id.nodeId() + " is a worker ("
            + id.role().ou() + "): " + bare + " is for managers only");
      }
    }
    Context ctx = Context.current()
        .withValue(PEER, id)
        .withValue(PEER_HOST, host(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String msg) {
    Metadata md = new Metadata();
    md.put(RpcErrors.TYPE, "Forbidden");
    call.close(status.withDescription(msg), md);
    return new ServerCall.Listener<>() {};
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // no client certificate: fine for ANYONE methods
    }
  }

  private static String host(SocketAddress addr) {
    if (addr instanceof InetSocketAddress in) {
      return in.getAddress() != null ? in.getAddress().getHostAddress() : in.getHostString();
    }
    return addr == null ? "" : addr.toString();
  }
}
