package io.shoal.ca.tls;

import io.shoal.ca.NodeCredentials;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this node's certificate in TLS handshakes, both as server and as client. {@link
 * #update} swaps in renewed credentials for every later handshake, so a renewal needs no restart
 * and no new SSLContext (Ratis and gRPC keep the KeyManager they were given).
 *
 * <p>Thread-safe. Each credential generation has its own alias, and the previous generation stays
 * resolvable, so a handshake that chose an alias just before a swap still gets a matching key and
 * chain.
 */
public final class NodeKeyManager extends X509ExtendedKeyManager {
  private record Generation(String alias, NodeCredentials credentials) {}

  private volatile Generation current;
  private volatile Generation previous;

  public NodeKeyManager(NodeCredentials credentials) {
    this.current = new Generation("swarm-node-0", credentials);
  }

  /** Use {@code credentials} from the next handshake on. */
  public synchronized void update(NodeCredentials credentials) {
    int next = Integer.parseInt(current.alias.substring("swarm-node-".length())) + 1;
    previous = current;
    current = new Generation("swarm-node-" + next, credentials);
  }

  public NodeCredentials credentials() {
    return current.credentials;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String a = choose(new String[] {keyType}, issuers);
    return a == null ? null : new String[] {a};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes, issuers);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes, issuers);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(new String[] {keyType}, issuers);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(new String[] {keyType}, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Generation g = lookup(alias);
    return g == null ? null : new X509Certificate[] {g.credentials.certificate()};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Generation g = lookup(alias);
    return g == null ? null : g.credentials.privateKey();
  }

  private String choose(String[] keyTypes, Principal[] issuers) {
    Generation g = current;
    if (keyTypes == null || !matchesType(keyTypes, g.credentials.privateKey().getAlgorithm())) {
      return null;
    }
    if (issuers != null && issuers.length > 0) {
      Principal issuer = g.credentials.certificate().getIssuerX500Principal();
      boolean known = false;
      for (Principal p : issuers) {
        known |= issuer.equals(p);
      }
      if (!known) {
        return null;
      }
    }
    return g.alias;
  }

  private static boolean matchesType(String[] keyTypes, String algorithm) {
    for (String t : keyTypes) {
      // "EC", or Netty/JSSE's "EC_EC"-style "key_signer" forms; "RSASSA-PSS" serves RSA keys too.
      if (t != null
          && (t.equals(algorithm) || t.startsWith(algorithm + "_")
              || ("RSA".equals(algorithm) && t.equals("RSASSA-PSS")))) {
        return true;
      }
    }
    return false;
  }

  private Generation lookup(String alias) {
    Generation c = current;
    if (c.alias.equals(alias)) {
      return c;
    }
    Generation p = previous;
    return p != null && p.alias.equals(alias) ? p : null;
  }
}
