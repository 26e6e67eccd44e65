/**
 * Mutual TLS between swarm nodes from a node's {@link io.shoal.ca.NodeCredentials} and the
 * {@link io.shoal.ca.RootCA}: key and trust managers (what Ratis' {@code GrpcTlsConfig} and
 * grpc-netty-shaded take) and ready {@link javax.net.ssl.SSLContext}s.
 *
 * <pre>{@code
 * NodeKeyManager km = MutualTls.keyManager(creds);
 * PeerTrustManager managers = MutualTls.trustManager(ca,
 *     PeerPolicy.managersOnly().withRevoked(removedNodeIds::contains).withClusterId(clusterId));
 * SSLContext raftServer = MutualTls.serverContext(km, managers);   // needClientAuth built in
 * SSLContext toManager  = MutualTls.clientContext(km, managers);
 * // grpc-netty-shaded: GrpcSslContexts.configure(SslContextBuilder.forServer(km))
 * //                      .trustManager(managers).clientAuth(ClientAuth.REQUIRE).build()
 * // TCP API (dockerd --tlsverify model): MutualTls.apiClientTrustManager(ca, clusterId)
 * km.update(renewed);  // certificate renewal, live
 * }</pre>
 */
package io.shoal.ca.tls;
