package io.shoal.daemon.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.api.model.Version;
import io.shoal.ca.CertificateStore;
import io.shoal.ca.JoinTokens;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import io.shoal.manager.ipam.Cidr;
import io.shoal.manager.ipam.NetworkIpam;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * What {@code swarm init} creates besides raft: the root CA (or the user's), the join tokens,
 * this node's manager certificate on disk, and the first Cluster and Node objects. Pure but for
 * the certificate files it writes.
 */
public final class SwarmBootstrap {
  private SwarmBootstrap() {}

  /** The CA with its tokens and this node's identity, written to the data root. */
  public record Pki(RootCA ca, JoinTokens tokens, NodeCredentials node) {}

  public static Pki createPki(Path dataRoot, String nodeId, String clusterId, Cluster.SwarmSpec spec,
      Clock clock, SecureRandom random) {
    Cluster.CAConfig c = spec.caConfig();
    RootCA ca = c != null && c.signingCACert() != null && !c.signingCACert().isBlank()
        ? RootCA.load(c.signingCACert(), c.signingCAKey(), clock)
        : RootCA.create(clock, random);
    JoinTokens tokens = JoinTokens.generate(ca, random);
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    String csr = NodeCertificates.createCsr(kp, random);
    Duration expiry = c == null || c.nodeCertExpiry() == null ? null : Duration.ofNanos(c.nodeCertExpiry());
    X509Certificate cert = ca.sign(csr, new NodeIdentity(nodeId, NodeRole.MANAGER, clusterId), expiry, clock, random);
    NodeCredentials creds = NodeCertificates.accept(kp, cert, ca, clock.instant());
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    store.writeNode(creds);
    return new Pki(ca, tokens, creds);
  }

  public static Cluster cluster(String clusterId, Cluster.SwarmSpec spec, Pki pki, InitRequest req) {
    ObjectNode tls = Json.lenient().createObjectNode();
    tls.put("TrustRoot", pki.ca().certificatePem());
    tls.put("CertIssuerSubject", Base64.getEncoder().encodeToString(pki.ca().issuerSubject()));
    tls.put("CertIssuerPublicKey", Base64.getEncoder().encodeToString(pki.ca().issuerPublicKey()));
    // the CA key lives only in the replicated (and encrypted-at-rest) store, never on the API
    Cluster.RootCA root = new Cluster.RootCA(pki.ca().certificatePem(), pki.ca().privateKeyPem(), pki.ca().caCertHash());
    Cluster.SwarmSpec stored = new Cluster.SwarmSpec(spec.name(), spec.labels(), spec.orchestration(), spec.raft(),
        spec.dispatcher(), new Cluster.CAConfig(spec.caConfig().nodeCertExpiry(), spec.caConfig().externalCAs(), null, null,
            spec.caConfig().forceRotate()),
        spec.encryptionConfig() == null ? Json.lenient().createObjectNode().put("AutoLockManagers", false) : spec.encryptionConfig(),
        spec.taskDefaults() == null ? Json.lenient().createObjectNode() : spec.taskDefaults());
    return new Cluster(clusterId, Version.ZERO, null, null, stored, tls, false,
        req.dataPathPort() == null || req.dataPathPort() == 0 ? 4789 : req.dataPathPort(),
        req.defaultAddrPool() == null || req.defaultAddrPool().isEmpty() ? java.util.List.of("10.0.0.0/8") : req.defaultAddrPool(),
        req.subnetSize() == null || req.subnetSize() == 0 ? 24 : req.subnetSize(),
        new Cluster.JoinTokens(pki.tokens().worker().value(), pki.tokens().manager().value()), root);
  }

  /**
   * {@code --default-addr-pool}, {@code --default-addr-pool-mask-length} and
   * {@code --data-path-port} as Docker checks them, before anything is made.
   */
  public static void checkNetworking(InitRequest req) {
    Integer port = req.dataPathPort();
    if (port != null && port != 0 && (port < 1024 || port > 49151)) {
      throw new ShoalException.InvalidSpec("data path port number must be within 1024 - 49151, got " + port);
    }
    int widest = 32;
    if (req.defaultAddrPool() != null) {
      for (String p : req.defaultAddrPool()) {
        Cidr c = Cidr.parse(p);
        if (c == null || !Cidr.isCanonical(p)) {
          throw new ShoalException.InvalidSpec("invalid default address pool " + p + ": an IPv4 CIDR with no host bits is needed");
        }
        widest = Math.min(widest, c.prefix());
      }
    }
    Integer size = req.subnetSize();
    if (size != null && size != 0) {
      if (size > 29 || size < 1) throw new ShoalException.InvalidSpec("invalid subnet size " + size + ": it must be between 1 and 29");
      if (req.defaultAddrPool() != null && !req.defaultAddrPool().isEmpty() && size < widest) {
        throw new ShoalException.InvalidSpec("invalid subnet size " + size + ": larger than the address pool /" + widest);
      }
    } else if (widest > NetworkIpam.DEFAULT_SUBNET_SIZE && req.defaultAddrPool() != null && !req.defaultAddrPool().isEmpty()) {
      throw new ShoalException.InvalidSpec("default address pool /" + widest + " is smaller than the default subnet size /24:"
          + " give --default-addr-pool-mask-length");
    }
  }

  public static Node managerNode(String nodeId, Node.Description description, String addr, String managerAddr, String availability) {
    String a = availability == null || availability.isEmpty() ? Node.NodeSpec.ACTIVE : availability;
    return new Node(nodeId, Version.ZERO, null, null, new Node.NodeSpec(null, Map.of(), "manager", a), description,
        new Node.Status(Node.READY, null, addr), new Node.ManagerStatus(true, "reachable", managerAddr));
  }
}
