package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JoinTokenTest {
  private final RootCA ca = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(11));
  private final RootCA otherCa = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(12));

  @Test
  void formatIsSwarms() {
    for (long seed = 0; seed < 200; seed++) {
      String t = JoinToken.generate(ca, new SplittableRandom(seed)).value();
      assertThat(t).as("seed %d", seed)
          .hasSize(85).hasSize(JoinToken.LENGTH)
          .startsWith("SWMTKN-1-")
          .matches("SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}");
    }
  }

  @Test
  void digestPartIsCaDigestInBase36() {
    JoinToken t = JoinToken.generate(ca, new SplittableRandom(1));
    assertThat(new BigInteger(t.caDigestPart(), 36)).isEqualTo(new BigInteger(ca.digestHex(), 16));
    assertThat(t.caDigestHex()).isEqualTo(ca.digestHex());
    assertThat(t.caDigest()).isEqualTo(ca.digest());
  }

  @Test
  void smallValuesAreZeroPadded() {
    // An all-zero secret is the extreme case of padding: 25 zeros, still parseable.
    JoinToken t = JoinToken.generate(new byte[32], (java.util.random.RandomGenerator) new ZeroRandom());
    assertThat(t.value()).isEqualTo("SWMTKN-1-" + "0".repeat(50) + "-" + "0".repeat(25));
    assertThat(JoinToken.parse(t.value())).isEqualTo(t);
  }

  @Test
  void parseRoundTripAndWhitespace() {
    JoinToken t = JoinToken.generate(ca, new SplittableRandom(2));
    assertThat(JoinToken.parse(t.value())).isEqualTo(t);
    assertThat(JoinToken.parse("  " + t.value() + "\n")).isEqualTo(t);
  }

  @Test
  void seededGenerationIsReproducibleAndRotationChangesOnlyTheSecret() {
    JoinToken a = JoinToken.generate(ca, new SplittableRandom(3));
    assertThat(JoinToken.generate(ca, new SplittableRandom(3))).isEqualTo(a);
    JoinToken r = a.rotate(new SplittableRandom(4));
    assertThat(r.caDigestPart()).isEqualTo(a.caDigestPart());
    assertThat(r.secretPart()).isNotEqualTo(a.secretPart());
    assertThat(a.sameSecret(r)).isFalse();
  }

  @Test
  void toStringHidesTheSecret() {
    JoinToken t = JoinToken.generate(ca, new SplittableRandom(5));
    assertThat(t.toString()).doesNotContain(t.secretPart()).endsWith("-<secret>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "wrong prefix   | XWMTKN-1-%D-%S    | invalid join token: it must start with SWMTKN-1-",
    "no prefix      | %D-%S             | invalid join token: it must start with SWMTKN-1-",
    "wrong version  | SWMTKN-2-%D-%S    | invalid join token: unsupported token version \"2\" (only SWMTKN-1 is known)",
    "extra part     | SWMTKN-1-%D-%S-x  | invalid join token: expected 4 dash-separated parts (SWMTKN-1-<CA digest>-<secret>), got 5",
    "missing part   | SWMTKN-1-%D       | invalid join token: expected 4 dash-separated parts (SWMTKN-1-<CA digest>-<secret>), got 3",
    "short digest   | SWMTKN-1-%d-%S    | invalid join token: the CA digest part must be 50 base-36 characters, got 49",
    "long secret    | SWMTKN-1-%D-%S0   | invalid join token: the secret part must be 25 base-36 characters, got 26",
    "empty secret   | SWMTKN-1-%D-      | invalid join token: the secret part must be 25 base-36 characters, got 0",
    "upper case     | SWMTKN-1-%U-%S    | invalid join token: the CA digest part has a non-base-36 character 'Z' at position 50 (only 0-9 and a-z)",
    "punctuation    | SWMTKN-1-%D-%P    | invalid join token: the secret part has a non-base-36 character '_' at position 25 (only 0-9 and a-z)",
    "digest > 2^256 | SWMTKN-1-%Z-%S    | invalid join token: the CA digest part is larger than 256 bits",
    "secret > 2^128 | SWMTKN-1-%D-%T    | invalid join token: the secret part is larger than 128 bits",
  })
  void badTokensSayWhatIsWrong(String name, String shape, String message) {
    JoinToken good = JoinToken.generate(ca, new SplittableRandom(6));
    String d = good.caDigestPart();
    String s = good.secretPart();
    String token = shape
        .replace("%D", d)
        .replace("%d", d.substring(1))
        .replace("%U", d.substring(0, 49) + "Z")
        .replace("%Z", "z".repeat(50))
        .replace("%S", s)
        .replace("%P", s.substring(0, 24) + "_")
        .replace("%T", "z".repeat(25));
    assertThatThrownBy(() -> JoinToken.parse(token))
        .isInstanceOf(CaException.InvalidToken.class)
        .hasMessage(message);
  }

  @Test
  void emptyToken() {
    assertThatThrownBy(() -> JoinToken.parse(null)).isInstanceOf(CaException.InvalidToken.class)
        .hasMessage("invalid join token: the token is empty");
    assertThatThrownBy(() -> JoinToken.parse(" ")).isInstanceOf(CaException.InvalidToken.class);
  }

  @Test
  void verifiesTheFetchedRootCa() {
    JoinToken t = JoinToken.generate(ca, new SplittableRandom(7));
    RootCA trusted = t.verifyRootCA(ca.certificatePem());
    assertThat(trusted.canSign()).isFalse();
    assertThat(trusted.digestHex()).isEqualTo(ca.digestHex());
    assertThat(t.matches(ca)).isTrue();
  }

  @Test
  void refusesARootCaThatDoesNotMatchTheToken() {
    JoinToken t = JoinToken.generate(ca, new SplittableRandom(8));
    assertThatThrownBy(() -> t.verifyRootCA(otherCa.certificatePem()))
        .isInstanceOfSatisfying(CaException.DigestMismatch.class, e -> {
          assertThat(e.expected()).isEqualTo(ca.digestHex());
          assertThat(e.actual()).isEqualTo(otherCa.digestHex());
        })
        .hasMessage("remote CA does not match the fingerprint in the join token: expected sha256:"
            + ca.digestHex() + ", the manager sent a CA with sha256:" + otherCa.digestHex());
    // A bundle that adds an extra root to the right one is a different CA too.
    String bundle = ca.certificatePem() + otherCa.certificatePem();
    assertThatThrownBy(() -> t.verifyRootCA(bundle)).isInstanceOf(CaException.DigestMismatch.class);
    assertThatThrownBy(() -> t.verifyRootCA("garbage"))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageStartingWith("the manager sent an invalid root CA certificate");
  }

  @Test
  void rolesAreDecidedBySecret() {
    JoinTokens tokens = JoinTokens.generate(ca, new SplittableRandom(9));
    assertThat(tokens.worker().caDigestPart()).isEqualTo(tokens.manager().caDigestPart());
    assertThat(tokens.worker().secretPart()).isNotEqualTo(tokens.manager().secretPart());
    assertThat(tokens.roleOf(tokens.worker().value())).isEqualTo(NodeRole.WORKER);
    assertThat(tokens.roleOf(tokens.manager().value())).isEqualTo(NodeRole.MANAGER);
    assertThat(tokens.forRole(NodeRole.MANAGER)).isEqualTo(tokens.manager());
    JoinTokens stored = JoinTokens.parse(tokens.worker().value(), tokens.manager().value());
    assertThat(stored).isEqualTo(tokens);
  }

  @Test
  void rotatedTokenAdmitsNobody() {
    JoinTokens tokens = JoinTokens.generate(ca, new SplittableRandom(10));
    JoinTokens rotated = tokens.rotate(NodeRole.WORKER, new SplittableRandom(11));
    assertThat(rotated.manager()).isEqualTo(tokens.manager());
    assertThat(rotated.roleOf(rotated.worker().value())).isEqualTo(NodeRole.WORKER);
    assertThatThrownBy(() -> rotated.roleOf(tokens.worker().value()))
        .isInstanceOf(CaException.UnknownToken.class)
        .hasMessage("a valid join token is necessary to join this cluster: the token matches neither "
            + "the worker nor the manager token (rotated or mistyped?)");
    JoinTokens both = rotated.rotate(NodeRole.MANAGER, new SplittableRandom(12));
    assertThatThrownBy(() -> both.roleOf(tokens.manager().value())).isInstanceOf(CaException.UnknownToken.class);
  }

  @Test
  void anotherSwarmsTokenIsRefused() {
    JoinTokens ours = JoinTokens.generate(ca, new SplittableRandom(13));
    JoinToken theirs = ours.worker().forRootCA(otherCa); // same secret, other CA
    assertThatThrownBy(() -> ours.roleOf(theirs.value()))
        .isInstanceOf(CaException.UnknownToken.class)
        .hasMessageContaining("not this swarm's root CA");
    assertThatThrownBy(() -> ours.roleOf("SWMTKN-1-nope"))
        .isInstanceOf(CaException.InvalidToken.class);
  }

  @Test
  void caRotationKeepsSecrets() {
    JoinTokens tokens = JoinTokens.generate(ca, new SplittableRandom(14));
    JoinTokens moved = tokens.forRootCA(otherCa);
    assertThat(moved.worker().secretPart()).isEqualTo(tokens.worker().secretPart());
    assertThat(moved.worker().matches(otherCa)).isTrue();
    assertThat(moved.roleOf(moved.manager().value())).isEqualTo(NodeRole.MANAGER);
  }

  @Test
  void tokensOfDifferentCasCannotBePaired() {
    assertThatThrownBy(() -> new JoinTokens(JoinToken.generate(ca, new SplittableRandom(1)),
            JoinToken.generate(otherCa, new SplittableRandom(2))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Yields zero bytes: the padding edge case. */
  private static final class ZeroRandom implements java.util.random.RandomGenerator {
    @Override
    public long nextLong() {
      return 0;
    }
  }
}
