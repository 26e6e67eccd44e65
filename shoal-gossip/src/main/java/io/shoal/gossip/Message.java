package io.shoal.gossip;

import java.util.List;

/**
 * The protocol's packets. Each carries its sender and may carry piggybacked {@link Update}s.
 * Ping/Ack/PingReq/Nack travel as datagrams; {@link PushPull} is the full state exchanged over
 * a stream (TCP) for anti-entropy and joining.
 */
public sealed interface Message {
  String from();

  List<Update> updates();

  /** Direct probe of {@code target}; the answer goes to {@code replyTo}. */
  record Ping(String from, String replyTo, long seq, String target, List<Update> updates) implements Message {}

  record Ack(String from, long seq, List<Update> updates) implements Message {}

  /** Asks {@code from}'s peer to probe {@code target} at {@code targetAddress} for it. */
  record PingReq(String from, String replyTo, long seq, String target, String targetAddress, List<Update> updates)
      implements Message {}

  /** Lifeguard: the relay of a PingReq did not hear from the target in time. */
  record Nack(String from, long seq, List<Update> updates) implements Message {}

  /** A round of dissemination with nothing but updates. */
  record Gossip(String from, List<Update> updates) implements Message {}

  /**
   * Full state: every member (as alive/suspect/dead updates) and every record, tombstones
   * included. {@code reply} is false on the request, true on the answer.
   */
  record PushPull(String from, String replyTo, boolean reply, List<Update> updates) implements Message {}
}
