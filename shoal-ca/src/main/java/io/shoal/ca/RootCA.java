package io.shoal.ca;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The swarm's root certificate authority: a self-signed certificate bundle, optionally its private
 * key (managers hold it through raft; workers and joining nodes hold only the certificate), and the
 * digest that join tokens carry.
 *
 * <p>The digest is SHA-256 of the PEM bundle <em>text</em> in Go's canonical encoding (see {@link
 * Pem}), not of the DER: that is what SwarmKit hashes ({@code digest.FromBytes} over the
 * normalised PEM it serves from {@code GetRootCACertificate}), so a token from either side
 * verifies a CA served by the other.
 *
 * <p>Immutable and thread-safe.
 */
public final class RootCA {
  /** Swarm's root CA lifetime, 630 720 000 s (20 years of 365 days). */
  public static final Duration ROOT_VALIDITY = Duration.ofSeconds(630_720_000L);
  /** Node certificate lifetime unless the cluster spec says otherwise (90 days). */
  public static final Duration DEFAULT_NODE_EXPIRY = Duration.ofDays(90);
  /** Swarm refuses shorter node certificate lifetimes. */
  public static final Duration MIN_NODE_EXPIRY = Duration.ofHours(1);
  /** Certificates start this much in the past so a peer whose clock lags a little accepts them. */
  public static final Duration BACKDATE = Duration.ofHours(1);
  /** Subject CN of a root CA Shoal creates. */
  public static final String ROOT_CN = "swarm-ca";

  private final List<X509Certificate> certificates;
  private final PrivateKey key;
  private final String pem;
  private final byte[] digest;

  private RootCA(List<X509Certificate> certificates, PrivateKey key) {
    this.certificates = List.copyOf(certificates);
    this.key = key;
    this.pem = Pem.encodeCertificates(this.certificates);
    this.digest = sha256(Pem.bytes(pem));
  }

  /** A new ECDSA P-256 root, CN=swarm-ca, valid 20 years from one hour ago ({@code swarm init}). */
  public static RootCA create(Clock clock, SecureRandom random) {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(BACKDATE);
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, ROOT_CN).build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name, serial(random), Date.from(notBefore), Date.from(notBefore.plus(ROOT_VALIDITY)),
                  name, kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier, false,
                  ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = Pem.toX509(b.build(signer(kp.getPrivate(), random)).getEncoded());
      return new RootCA(List.of(cert), kp.getPrivate());
    } catch (NoSuchAlgorithmException | java.io.IOException e) {
      throw new CaException.Crypto("cannot create root CA", e);
    }
  }

  /**
   * A user's root CA ({@code swarm init --ca-cert --ca-key}): every certificate in the bundle must
   * be a self-signed CA valid at {@code clock}'s now, and the key must match the first one, which
   * is the one that signs.
   */
  public static RootCA load(String certPem, String keyPem, Clock clock) {
    List<X509Certificate> certs = validateBundle(certPem);
    PrivateKey key = Pem.readPrivateKey(keyPem);
    requireKeyMatches(key, certs.get(0).getPublicKey());
    Instant now = clock.instant();
    for (X509Certificate c : certs) {
      if (now.isBefore(c.getNotBefore().toInstant()) || now.isAfter(c.getNotAfter().toInstant())) {
        throw new CaException.InvalidCertificate(
            "root CA certificate " + c.getSubjectX500Principal() + " is not valid now (" + now
                + "): valid from " + c.getNotBefore().toInstant() + " to "
                + c.getNotAfter().toInstant());
      }
    }
    return new RootCA(certs, key);
  }

  /**
   * A root CA without its key: what a joining node fetched (after {@link
   * JoinToken#verifyRootCA(String)}) or what a worker reads from disk. It verifies, cannot sign.
   */
  public static RootCA trustOnly(String certPem) {
    return new RootCA(validateBundle(certPem), null);
  }

  /** This CA without its key, e.g. to hand to a worker or to write to disk. */
  public RootCA withoutKey() {
    return key == null ? this : new RootCA(certificates, null);
  }

  /** The signing (first) certificate. */
  public X509Certificate certificate() {
    return certificates.get(0);
  }

  /** Every trusted root in the bundle, signing one first. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** The bundle as canonical PEM; these exact bytes are what {@link #digest()} hashes. */
  public String certificatePem() {
    return pem;
  }

  public boolean canSign() {
    return key != null;
  }

  /** The CA key as PKCS#8 PEM, for the cluster object in raft; {@link CaException.CannotSign} if absent. */
  public String privateKeyPem() {
    return Pem.encodePrivateKey(requireKey());
  }

  /** SHA-256 of {@link #certificatePem()} (32 bytes, a copy). */
  public byte[] digest() {
    return digest.clone();
  }

  /** {@link #digest()} as 64 lowercase hex digits (Docker's {@code CACertHash} without prefix). */
  public String digestHex() {
    return HexFormat.of().formatHex(digest);
  }

  /** {@code "sha256:<hex>"}, the form Docker shows and stores as the CA certificate hash. */
  public String caCertHash() {
    return "sha256:" + digestHex();
  }

  /** DER of the signing certificate's subject: Docker's {@code TLSInfo.CertIssuerSubject}. */
  public byte[] issuerSubject() {
    return certificate().getSubjectX500Principal().getEncoded();
  }

  /** DER SubjectPublicKeyInfo of the signing certificate: Docker's {@code TLSInfo.CertIssuerPublicKey}. */
  public byte[] issuerPublicKey() {
    return certificate().getPublicKey().getEncoded();
  }

  /**
   * Issues a node certificate for {@code csrPem}. Only the CSR's public key is used; the subject
   * and names come from {@code identity}, because the requester may not choose its own role or id.
   *
   * @param expiry lifetime; null means {@link #DEFAULT_NODE_EXPIRY}; below {@link #MIN_NODE_EXPIRY}
   *     is refused
   * @param extraNames additional subjectAltNames, IP literals or DNS names (e.g. for the TCP API,
   *     whose Docker clients check the host name); may be empty
   */
  public X509Certificate sign(
      String csrPem,
      NodeIdentity identity,
      Duration expiry,
      List<String> extraNames,
      Clock clock,
      SecureRandom random) {
    // the same order of checks as ever: the key, the lifetime, then the request
    requireKey();
    lifetime(expiry);
    PublicKey subjectKey = verifiedCsrKey(csrPem);
    return issue(subjectKey, identity.toX500Name(), expiry,
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
        sans(identity, extraNames), clock, random);
  }

  /**
   * The one issuing path (node and TCP API certificates): a leaf for {@code subjectKey} named
   * {@code subject}, valid from {@link #BACKDATE} ago for {@code expiry} (null: {@link
   * #DEFAULT_NODE_EXPIRY}; below {@link #MIN_NODE_EXPIRY} refused), never past the root, with the
   * given extended key usages and subjectAltNames.
   */
  X509Certificate issue(
      PublicKey subjectKey,
      X500Name subject,
      Duration expiry,
      KeyPurposeId[] extendedKeyUsage,
      GeneralNames subjectAltNames,
      Clock clock,
      SecureRandom random) {
    PrivateKey caKey = requireKey();
    Duration life = lifetime(expiry);
    X509Certificate ca = certificate();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(BACKDATE);
    Instant notAfter = now.plus(life);
    // A leaf certificate never outlives the root that vouches for it.
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  ca, serial(random), Date.from(notBefore), Date.from(notAfter), subject, subjectKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
              .addExtension(
                  Extension.authorityKeyIdentifier, false,
                  ext.createAuthorityKeyIdentifier(ca.getPublicKey()));
      if (subjectAltNames != null && subjectAltNames.getNames().length > 0) {
        b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
      }
      return Pem.toX509(b.build(signer(caKey, random)).getEncoded());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new CaException.Crypto("cannot sign certificate", e);
    } catch (java.io.IOException e) {
      throw new CaException.Crypto("cannot encode certificate", e);
    }
  }

  /** {@link #sign} with no extra names. */
  public X509Certificate sign(
      String csrPem, NodeIdentity identity, Duration expiry, Clock clock, SecureRandom random) {
    return sign(csrPem, identity, expiry, List.of(), clock, random);
  }

  /**
   * Checks that {@code cert} was signed by a root of this bundle and is valid at {@code now};
   * returns its identity. {@link CaException.InvalidCertificate} says which check failed.
   */
  public NodeIdentity verify(X509Certificate cert, Instant now) {
    boolean signed = false;
    for (X509Certificate root : certificates) {
      if (!root.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      try {
        cert.verify(root.getPublicKey());
        signed = true;
        break;
      } catch (GeneralSecurityException e) {
        // try the next root of the bundle
      }
    }
    if (!signed) {
      throw new CaException.InvalidCertificate(
          "certificate " + cert.getSubjectX500Principal() + " was not issued by this swarm's root CA");
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      throw new CaException.InvalidCertificate(
          "certificate is not valid before " + cert.getNotBefore().toInstant() + ", and it is "
              + now + " (is this clock far off?)");
    }
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      throw new CaException.InvalidCertificate(
          "certificate expired at " + cert.getNotAfter().toInstant() + ", and it is " + now);
    }
    return NodeIdentity.of(cert);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootCA r && Arrays.equals(digest, r.digest)
        && (key == null ? r.key == null : r.key != null && Arrays.equals(key.getEncoded(), r.key.getEncoded()));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "RootCA[sha256:" + digestHex() + (key == null ? ", no key]" : ", can sign]");
  }

  // ---------------------------------------------------------------------------------------------

  /** {@code expiry}, or the default for null; {@link CaException.InvalidExpiry} below the minimum. */
  static Duration lifetime(Duration expiry) {
    Duration life = expiry == null ? DEFAULT_NODE_EXPIRY : expiry;
    if (life.compareTo(MIN_NODE_EXPIRY) < 0) {
      throw new CaException.InvalidExpiry(
          "minimum certificate expiry time is 1h, got " + life.toString().substring(2).toLowerCase());
    }
    return life;
  }

  private PrivateKey requireKey() {
    if (key == null) {
      throw new CaException.CannotSign(
          "this node holds the root CA certificate only; only a manager with the CA key can sign");
    }
    return key;
  }

  private static List<X509Certificate> validateBundle(String certPem) {
    List<X509Certificate> certs = Pem.readCertificates(certPem);
    for (X509Certificate c : certs) {
      if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        throw new CaException.InvalidCertificate(
            "root CA certificate " + c.getSubjectX500Principal() + " is not self-signed");
      }
      try {
        c.verify(c.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new CaException.InvalidCertificate(
            "root CA certificate " + c.getSubjectX500Principal() + " has an invalid self-signature", e);
      }
      if (c.getBasicConstraints() < 0) {
        throw new CaException.InvalidCertificate(
            "certificate " + c.getSubjectX500Principal() + " is not a CA (basicConstraints CA:FALSE)");
      }
    }
    return certs;
  }

  static void requireKeyMatches(PrivateKey key, PublicKey pub) {
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      throw new CaException.InvalidCertificate(
          "private key (" + key.getAlgorithm() + ") does not match the certificate ("
              + pub.getAlgorithm() + ")");
    }
    // Sign and verify a probe: works for every key type without deriving public points by hand.
    try {
      String alg = sigAlg(key);
      byte[] probe = "shoal-key-match".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      if (v.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new CaException.InvalidCertificate("private key does not match the certificate", e);
    }
    throw new CaException.InvalidCertificate("private key does not match the certificate");
  }

  static PublicKey verifiedCsrKey(String csrPem) {
    PKCS10CertificationRequest csr = Pem.readCsr(csrPem);
    PublicKey pub;
    try {
      pub = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CaException.InvalidCsr("unreadable public key", e);
    }
    try {
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pub))) {
        throw new CaException.InvalidCsr("its signature does not match its public key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new CaException.InvalidCsr("cannot check its signature: " + e.getMessage(), e);
    }
    if (pub instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits < 256) {
        throw new CaException.InvalidCsr("ECDSA key of " + bits + " bits; at least P-256 is required");
      }
    } else if (pub instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new CaException.InvalidCsr("RSA key below 2048 bits");
      }
    } else {
      throw new CaException.InvalidCsr("unsupported key algorithm " + pub.getAlgorithm());
    }
    return pub;
  }

  private static GeneralNames sans(NodeIdentity id, List<String> extra) {
    Set<String> dns = new LinkedHashSet<>();
    dns.add(id.role().ou());
    dns.add(id.nodeId());
    // Managers also answer as the CA: SwarmKit clients dial the CA with server name swarm-ca.
    if (id.role() == NodeRole.MANAGER) {
      dns.add(ROOT_CN);
    }
    List<String> all = new ArrayList<>(dns);
    all.addAll(extra);
    return names(all);
  }

  /**
   * subjectAltNames for {@code names}, in order and without repeats: IP literals as iPAddress,
   * anything else as dNSName (what TLS clients match a dialled address or host name against).
   */
  static GeneralNames names(List<String> names) {
    Set<String> seen = new LinkedHashSet<>();
    List<GeneralName> out = new ArrayList<>();
    for (String n : names) {
      if (n == null || n.isEmpty() || !seen.add(n)) {
        continue;
      }
      out.add(new GeneralName(isIpLiteral(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String s) {
    if (s.contains(":")) {
      return s.matches("[0-9a-fA-F:.]+");
    }
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    try {
      InetAddress.getByName(s); // a literal: no lookup happens
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static ContentSigner signer(PrivateKey key, SecureRandom random) {
    try {
      return new JcaContentSignerBuilder(sigAlg(key)).setSecureRandom(random).build(key);
    } catch (OperatorCreationException e) {
      throw new CaException.Crypto("cannot create a signer for " + key.getAlgorithm(), e);
    }
  }

  private static String sigAlg(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new CaException.InvalidCertificate(
          "unsupported key algorithm " + key.getAlgorithm() + " (ECDSA or RSA required)");
    };
  }

  private static BigInteger serial(RandomGenerator random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    // Positive and never zero: RFC 5280 wants a positive serial.
    return new BigInteger(1, b).setBit(126);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new CaException.Crypto("SHA-256 unavailable", e);
    }
  }

  static KeyPair p256(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CaException.Crypto("cannot generate an ECDSA P-256 key", e);
    }
  }
}
