/**
 * The swarm's public key infrastructure: the root CA, join tokens, node certificates, their
 * renewal schedule and their files on disk. Pure functions of their inputs plus an injected
 * {@link java.time.Clock} and random source; no threads, no network.
 *
 * <pre>{@code
 * // swarm init (manager, leader)
 * RootCA ca = RootCA.create(clock, secureRandom);            // or RootCA.load(certPem, keyPem, clock)
 * JoinTokens tokens = JoinTokens.generate(ca, secureRandom);  // tokens.worker().value() -> "SWMTKN-1-..."
 *
 * // swarm join (new node): check the CA a manager sent before trusting it
 * JoinToken token = JoinToken.parse(userInput);               // CaException.InvalidToken
 * RootCA trusted = token.verifyRootCA(fetchedPem);            // CaException.DigestMismatch
 * KeyPair kp = NodeCertificates.generateKeyPair(secureRandom);
 * String csr = NodeCertificates.createCsr(kp, secureRandom);
 *
 * // CA signer (leader): the token decides the role
 * NodeRole role = tokens.roleOf(presentedToken);              // CaException.UnknownToken
 * X509Certificate cert = ca.sign(csr, new NodeIdentity(nodeId, role, clusterId),
 *                                certExpiry, clock, secureRandom);
 *
 * // back on the node
 * NodeCredentials creds = NodeCertificates.accept(kp, cert, trusted, clock.instant());
 * CertificateStore store = new CertificateStore(dataRoot);
 * store.writeRootCA(trusted);
 * store.writeNode(creds);
 * Instant renewAt = new RenewalSchedule(clock, random).renewAt(creds.certificate());
 * }</pre>
 *
 * Errors are the sealed {@link io.shoal.ca.CaException} family.
 */
package io.shoal.ca;
