package io.shoal.ca;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who a node certificate speaks for: subject CN = node id, OU = role, O = cluster id (Swarm's
 * layout, so the same certificate authorises the same things in both worlds). Immutable.
 */
public record NodeIdentity(String nodeId, NodeRole role, String clusterId) {
  public NodeIdentity {
    requireText(nodeId, "node id");
    requireText(clusterId, "cluster id");
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }

  /** Reads CN, OU and O back from {@code cert}'s subject; each must occur exactly once. */
  public static NodeIdentity of(X509Certificate cert) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    String cn = single(subject, BCStyle.CN, "CN (node id)");
    String ou = single(subject, BCStyle.OU, "OU (role)");
    String o = single(subject, BCStyle.O, "O (cluster id)");
    return new NodeIdentity(cn, NodeRole.fromOu(ou), o);
  }

  /** Same identity with another role (promote/demote re-issues the certificate with it). */
  public NodeIdentity withRole(NodeRole r) {
    return new NodeIdentity(nodeId, r, clusterId);
  }

  X500Name toX500Name() {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, clusterId)
        .addRDN(BCStyle.OU, role.ou())
        .addRDN(BCStyle.CN, nodeId)
        .build();
  }

  static String single(X500Name name, ASN1ObjectIdentifier oid, String what) {
    RDN[] rdns = name.getRDNs(oid);
    if (rdns.length != 1) {
      throw new CaException.InvalidCertificate(
          "node certificate subject must have exactly one " + what + ", found " + rdns.length
              + " in \"" + name + "\"");
    }
    // The raw string, not IETFUtils' escaped form: ids compare byte for byte.
    if (rdns[0].getFirst().getValue() instanceof ASN1String str) {
      return str.getString();
    }
    throw new CaException.InvalidCertificate(what + " in node certificate is not a string");
  }

  private static void requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }
}
