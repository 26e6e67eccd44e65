/**
 * The Docker API over TCP with mutual TLS, dockerd's {@code --tlsverify} model with the swarm's
 * root CA as the CA. A manager started with {@code --tls-api-addr} serves it once it is in a
 * swarm; its server certificate is issued by the node itself from the CA key it holds, with every
 * name a client may dial, and renewed as it ages. Clients present an API client certificate
 * (OU=swarm-api-client), which {@code shoal swarm client-cert} gets over the unix socket — the
 * issuing route is never served on TCP. Neither certificate kind can act as a node on the cluster
 * port, and node certificates are refused here.
 *
 * <pre>{@code
 * ApiCertificateIssuer issuer = new ApiCertificateIssuer(manager.store(), clock, random);
 * TlsApi tls = TlsApi.start(TlsApi.Address.parse("0.0.0.0:2376"), router, issuer,
 *     nodeId, clusterId, hostname, List.of("10.0.0.5"), clock);
 * issuer.client(new ApiCertificateIssuer.ClientRequest("alice", csrPem, null)); // for the unix-socket route
 * }</pre>
 */
package io.shoal.daemon.tls;
