package io.shoal.rpc;

/**
 * What a joining node sends a manager: the join token exactly as the user typed it, a fresh
 * PKCS#10 request for its new key, and the addresses it wants to be known by. The token's secret
 * decides the role; the CSR's subject is ignored (the CA writes the identity).
 *
 * @param advertiseAddr {@code host:port} other nodes reach this node's cluster port at; empty
 *     means "use the address the manager saw me connect from"
 * @param listenAddr {@code host:port} this node binds its cluster port to
 * @param availability {@code active|pause|drain}, or empty for active
 */
public record JoinRequest(
    String token, String csrPem, String advertiseAddr, String listenAddr, String availability) {

  @Override
  public String toString() {
    // Never log the token's secret.
    return "JoinRequest[advertiseAddr=" + advertiseAddr + ", listenAddr=" + listenAddr
        + ", availability=" + availability + "]";
  }
}
