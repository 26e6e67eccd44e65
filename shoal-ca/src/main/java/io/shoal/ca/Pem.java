package io.shoal.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM reading and writing. Writing is byte-exact with Go's {@code pem.EncodeToMemory} (64-column
 * base64, LF line ends, no headers) because the CA digest in join tokens is a hash of these very
 * bytes: a Docker node and a Shoal node must hash the same text.
 *
 * <p>Stateless and thread-safe.
 */
public final class Pem {
  private Pem() {}

  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

  /** One PEM block: {@code -----BEGIN type-----}, base64 of {@code der} in 64-char lines, END. */
  public static String encode(String type, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 64);
    sb.append("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(type).append("-----\n");
    return sb.toString();
  }

  public static String encodeCertificate(X509Certificate cert) {
    try {
      return encode(CERTIFICATE, cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CaException.Crypto("cannot encode certificate", e);
    }
  }

  /** Concatenated blocks, in order: a bundle. */
  public static String encodeCertificates(List<X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    certs.forEach(c -> sb.append(encodeCertificate(c)));
    return sb.toString();
  }

  /** PKCS#8 ({@code PRIVATE KEY}), which Go's tls.X509KeyPair and OpenSSL both read. */
  public static String encodePrivateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new CaException.Crypto("private key is not PKCS#8 encodable: " + key.getFormat(), null);
    }
    return encode(PRIVATE_KEY, key.getEncoded());
  }

  /** Every CERTIFICATE block in {@code pem}; other blocks are skipped. Fails if there is none. */
  public static List<X509Certificate> readCertificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(nonNull(pem)))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder h) {
          out.add(toX509(h.getEncoded()));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CaException ce) {
        throw ce;
      }
      throw new CaException.InvalidCertificate("cannot parse certificate PEM: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new CaException.InvalidCertificate("no certificate found in PEM data");
    }
    return List.copyOf(out);
  }

  /** The first CERTIFICATE block. */
  public static X509Certificate readCertificate(String pem) {
    return readCertificates(pem).get(0);
  }

  /**
   * The first private key in {@code pem}: PKCS#8, SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code
   * RSA PRIVATE KEY}). Encrypted keys are refused with a clear message (no passphrase support).
   */
  public static PrivateKey readPrivateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(nonNull(pem)))) {
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair kp) {
          return conv.getPrivateKey(kp.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo pki) {
          return conv.getPrivateKey(pki);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new CaException.InvalidCertificate(
              "the private key is encrypted; give an unencrypted PEM key");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CaException ce) {
        throw ce;
      }
      throw new CaException.InvalidCertificate("cannot parse private key PEM: " + e.getMessage(), e);
    }
    throw new CaException.InvalidCertificate("no private key found in PEM data");
  }

  /** The first CERTIFICATE REQUEST block (PKCS#10). */
  public static PKCS10CertificationRequest readCsr(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new CaException.InvalidCsr("empty PEM data");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PKCS10CertificationRequest csr) {
          return csr;
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CaException.InvalidCsr("cannot parse PEM: " + e.getMessage(), e);
    }
    throw new CaException.InvalidCsr("no CERTIFICATE REQUEST block found");
  }

  static X509Certificate toX509(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new CaException.InvalidCertificate("cannot parse certificate: " + e.getMessage(), e);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String nonNull(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new CaException.InvalidCertificate("empty PEM data");
    }
    return pem;
  }
}
