package io.shoal.api.model;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * Object ids as Swarm makes them: 128 random bits in base 36, 25 characters. The random source is
 * injected so simulations are reproducible.
 */
public final class Ids {
  private Ids() {}

  public static String newId(RandomGenerator random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    String s = new BigInteger(1, b).toString(36);
    return "0".repeat(Math.max(0, 25 - s.length())) + s;
  }
}
