package io.shoal.manager.controlapi;

import java.util.List;
import java.util.random.RandomGenerator;

/** Names for services created without one, in Docker's adjective_surname style. */
final class Names {
  private static final List<String> LEFT = List.of("admiring", "brave", "calm", "dazzling", "eager",
      "fervent", "gallant", "happy", "jolly", "keen", "lucid", "modest", "nifty", "optimistic",
      "peaceful", "quirky", "relaxed", "sharp", "tender", "upbeat", "vibrant", "wizardly", "zealous");
  private static final List<String> RIGHT = List.of("babbage", "curie", "darwin", "euler", "fermi",
      "galileo", "hopper", "johnson", "kepler", "lovelace", "meitner", "noether", "pascal", "ritchie",
      "shannon", "turing", "wilson", "yalow");

  private Names() {}

  static String random(RandomGenerator r) {
    return LEFT.get(r.nextInt(LEFT.size())) + "_" + RIGHT.get(r.nextInt(RIGHT.size()));
  }
}
