package io.shoal.network.vip;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of Shoal's nftables table that follows the view: regular chains (name → rules) and
 * the elements of the two verdict maps. The fixed skeleton (base chains, map declarations) is
 * {@link NftScript}'s. Pure data, compared as a whole to find what changed.
 *
 * @param chains every regular chain and its rules, in order
 * @param vips VIP address → verdict ({@code goto vip-...})
 * @param mesh {@code proto . port} → verdict ({@code goto mesh-...})
 */
public record Ruleset(SortedMap<String, List<String>> chains, SortedMap<String, String> vips, SortedMap<String, String> mesh) {
  public Ruleset {
    chains = copy(chains);
    vips = new TreeMap<>(vips);
    mesh = new TreeMap<>(mesh);
  }

  public static Ruleset empty() {
    return new Ruleset(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  private static SortedMap<String, List<String>> copy(Map<String, List<String>> m) {
    SortedMap<String, List<String>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
  }
}
