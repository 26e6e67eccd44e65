package io.shoal.daemon.swarm;

import java.util.List;

/** Docker's {@code POST /swarm/join} body. */
public record JoinRequest(
    String listenAddr,
    String advertiseAddr,
    String dataPathAddr,
    List<String> remoteAddrs,
    String joinToken,
    String availability) {}
