package io.shoal.manager.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
import io.shoal.api.model.Version;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** T1: subnets from the pool, --subnet/--gateway/--ip-range, VNIs, and the order addresses go out in. */
class IpamTest {
  private final List<Network> existing = new ArrayList<>();

  private NetworkAllocation add(String name, String ipamJson, List<String> pool, int size) {
    JsonNode ipam = ipamJson == null ? null : Json.read(ipamJson.getBytes(), JsonNode.class);
    NetworkAllocation a = NetworkIpam.allocate(name, ipam, Map.of(), pool, size, existing);
    existing.add(new Network("id-" + name, Version.ZERO, null, null,
        new Network.NetworkSpec(name, "overlay", "swarm", null, null, null, ipam, null, Map.of(), Map.of()), a));
    return a;
  }

  @Test
  void defaultPoolHandsOutSuccessiveBlocksAndVnisFrom4096() {
    NetworkAllocation ingress = add("ingress", null, null, 24);
    NetworkAllocation a = add("a", null, null, 24);
    assertThat(ingress.subnet()).isEqualTo("10.0.0.0/24");
    assertThat(ingress.gateway()).isEqualTo("10.0.0.1");
    assertThat(ingress.vni()).isEqualTo(4096);
    assertThat(a.subnet()).isEqualTo("10.0.1.0/24");
    assertThat(a.vni()).isEqualTo(4097);
  }

  @Test
  void poolSkipsUserSubnetsAndIsExhaustedWithAClearError() {
    add("user", "{\"Config\":[{\"Subnet\":\"10.9.0.0/24\"}]}", null, 24);
    List<String> pool = List.of("10.9.0.0/23");
    assertThat(add("b", null, pool, 24).subnet()).isEqualTo("10.9.1.0/24");
    assertThatThrownBy(() -> add("c", null, pool, 24)).isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessageContaining("network c: could not find an available, non-overlapping IPv4 address pool");
  }

  @Test
  void overlappingSubnetIsRefusedNamingTheOtherNetwork() {
    add("front", "{\"Config\":[{\"Subnet\":\"10.20.0.0/16\"}]}", null, 24);
    assertThatThrownBy(() -> add("back", "{\"Config\":[{\"Subnet\":\"10.20.5.0/24\"}]}", null, 24))
        .isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessageContaining("subnet 10.20.5.0/24 overlaps network front (id-front) with subnet 10.20.0.0/16");
  }

  @Test
  void gatewayAndRangeAreHonouredAndChecked() {
    NetworkAllocation a = add("r", "{\"Config\":[{\"Subnet\":\"192.168.7.0/24\",\"Gateway\":\"192.168.7.254\",\"IPRange\":\"192.168.7.128/25\"}]}", null, 24);
    assertThat(a.gateway()).isEqualTo("192.168.7.254");
    AddressSpace s = AddressSpace.of(a);
    assertThat(Cidr.format(s.next(Set.of()))).isEqualTo("192.168.7.128");
    assertThat(s.capacity()).isEqualTo(126); // .128-.254 less the broadcast and the gateway
    assertThatThrownBy(() -> add("g", "{\"Config\":[{\"Subnet\":\"192.168.8.0/24\",\"Gateway\":\"192.168.8.0\"}]}", null, 24))
        .hasMessageContaining("gateway 192.168.8.0 is the network or broadcast address");
    assertThatThrownBy(() -> add("x", "{\"Config\":[{\"Subnet\":\"fd00::/64\"}]}", null, 24))
        .hasMessageContaining("IPv6 subnets are not supported (fd00::/64)");
    assertThatThrownBy(() -> add("y", "{\"Config\":[{\"Gateway\":\"10.1.1.1\"}]}", null, 24))
        .hasMessageContaining("--gateway and --ip-range need --subnet");
  }

  @Test
  void vniOptionIsHonouredOnceOnly() {
    existing.clear();
    NetworkAllocation a = NetworkIpam.allocate("v", null, Map.of(NetworkIpam.VXLANID_OPTION, "5000"), null, 24, existing);
    assertThat(a.vni()).isEqualTo(5000);
    existing.add(new Network("v", Version.ZERO, null, null,
        new Network.NetworkSpec("v", "overlay", "swarm", null, null, null, null, null, Map.of(), Map.of()), a));
    assertThatThrownBy(() -> NetworkIpam.allocate("w", null, Map.of(NetworkIpam.VXLANID_OPTION, "5000"), null, 24, existing))
        .hasMessageContaining("VNI 5000 is in use");
  }

  /** Seeded: addresses go out in turn, never twice, and a freed one comes back only after the rest. */
  @Test
  void addressesGoOutInTurnAndNeverTwice() {
    long seed = new SplittableRandom().nextLong();
    System.out.println("IpamTest seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    AddressSpace s = AddressSpace.of(new NetworkAllocation("10.0.3.0/28", "10.0.3.1", null, 4096, Map.of()));
    assertThat(s.capacity()).isEqualTo(13);
    Set<Long> taken = new HashSet<>();
    for (int step = 0; step < 500; step++) {
      if (!taken.isEmpty() && r.nextInt(3) == 0) {
        Long drop = taken.stream().skip(r.nextInt(taken.size())).findFirst().orElseThrow();
        taken.remove(drop);
        continue;
      }
      long a = s.next(taken);
      if (taken.size() == s.capacity()) {
        assertThat(a).as("seed %d", seed).isEqualTo(-1);
        continue;
      }
      assertThat(s.usable(a)).as("seed %d", seed).isTrue();
      assertThat(taken.add(a)).as("handed out twice, seed %d", seed).isTrue();
    }
    Set<Long> in = new HashSet<>();
    in.add(Cidr.address("10.0.3.5"));
    assertThat(Cidr.format(s.next(in))).isEqualTo("10.0.3.6"); // after the highest, not the lowest free
  }
}
