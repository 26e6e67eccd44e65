package io.shoal.gossip;

/** A snapshot of one member as this node sees it; {@code since} is the local millis of the last state change. */
public record MemberInfo(String id, String address, long incarnation, MemberState state, long since) {}
