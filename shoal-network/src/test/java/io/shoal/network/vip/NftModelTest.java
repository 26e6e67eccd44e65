package io.shoal.network.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.network.dns.ViewFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NftModelTest {
  /** net1 10.0.1.0/24 overlay, ingress 10.0.0.0/24; web has 2 tasks (one here on n1, one on n2) and publishes 8080->80 tcp and 5353->53 udp. */
  static ViewFixture fixture() {
    return new ViewFixture("n1")
        .network("ing", "ingress", 0, true, false).network("net1", "app", 1)
        .vipService("web", "web", 2, List.of(new Port("tcp", 80, 8080, "ingress"), new Port("udp", 53, 5353, "ingress"),
            new Port("tcp", 22, 2222, "host")), "ing", "net1")
        .dnsrrService("db", "db")
        .task("w1", "web", 1, "ing", 5, "n1").task("w1", "web", 1, "net1", 5, "n1")
        .task("w2", "web", 2, "ing", 6, "n2").task("w2", "web", 2, "net1", 6, "n2")
        .task("d1", "db", 1, "net1", 9, "n1");
  }

  @Test
  void vipsBalanceOverLiveTasksWithSourceNat() {
    Ruleset r = NftModel.desired(fixture().build(), Set.of(), Set.of());
    assertThat(r.vips()).containsEntry("10.0.1.2", "goto vip_10_0_1_2").containsEntry("10.0.0.2", "goto vip_10_0_0_2").hasSize(2);
    assertThat(r.chains().get("vip_10_0_1_2")).containsExactly(
        "meta mark set meta mark | 0x4000000",
        "dnat to numgen random mod 2 map { 0 : 10.0.1.5, 1 : 10.0.1.6 }");
    assertThat(r.chains().get("nat_out")).containsExactly(
        "meta mark & 0x4000000 == 0 return",
        "ip daddr 10.0.0.0/24 snat to 10.0.0.1",
        "ip daddr 10.0.1.0/24 snat to 10.0.1.1");
  }

  @Test
  void meshKeepsTheClientForLocalTasksAndNatsForRemoteOnes() {
    Ruleset r = NftModel.desired(fixture().build(), Set.of(), Set.of());
    assertThat(r.mesh()).containsOnlyKeys("tcp . 8080", "udp . 5353");
    assertThat(r.chains().get("mesh_tcp_8080")).containsExactly(
        "numgen random mod 2 vmap { 0 : goto mep_tcp_10_0_0_5_80, 1 : goto mep_tcp_10_0_0_6_80_r }");
    assertThat(r.chains().get("mep_tcp_10_0_0_5_80")).containsExactly("meta l4proto tcp dnat to 10.0.0.5:80");
    assertThat(r.chains().get("mep_tcp_10_0_0_6_80_r")).containsExactly("meta mark set meta mark | 0x4000000", "meta l4proto tcp dnat to 10.0.0.6:80");
    assertThat(r.chains().get("mep_udp_10_0_0_5_53")).containsExactly("meta l4proto udp dnat to 10.0.0.5:53");
  }

  @Test
  void stoppingTasksRefusedPortsAndEmptyServicesGetNothing() {
    Ruleset r = NftModel.desired(fixture().build(), Set.of("w2"), Set.of("5353/udp"));
    assertThat(r.mesh()).containsOnlyKeys("tcp . 8080");
    assertThat(r.chains().get("vip_10_0_1_2")).contains("dnat to numgen random mod 1 map { 0 : 10.0.1.5 }");
    assertThat(r.chains()).doesNotContainKey("mep_tcp_10_0_0_6_80_r");
    Ruleset none = NftModel.desired(fixture().build(), Set.of("w1", "w2"), Set.of());
    assertThat(none.vips()).isEmpty();
    assertThat(none.mesh()).isEmpty();
    assertThat(none.chains()).containsOnlyKeys("nat_out");
  }

  @Test
  void diffTouchesOnlyWhatChanged() {
    Ruleset a = NftModel.desired(fixture().build(), Set.of(), Set.of());
    Ruleset b = NftModel.desired(fixture().build(), Set.of("w2"), Set.of());
    assertThat(NftScript.diff("t", a, a)).isEmpty();
    String d = NftScript.diff("t", a, b);
    assertThat(d).contains("flush chain ip t vip_10_0_1_2\nadd rule ip t vip_10_0_1_2 meta mark set meta mark | 0x4000000\n")
        .contains("delete chain ip t mep_tcp_10_0_0_6_80_r")
        .doesNotContain("add chain").doesNotContain("nat_out").doesNotContain("element");
    // the chain is no longer referenced when it is deleted
    assertThat(d.indexOf("delete chain ip t mep_tcp_10_0_0_6_80_r")).isGreaterThan(d.indexOf("add rule ip t mesh_tcp_8080"));
    String back = NftScript.diff("t", b, NftModel.desired(fixture().build(), Set.of("w1", "w2"), Set.of()));
    assertThat(back).contains("delete element ip t vips { 10.0.1.2 }").contains("delete element ip t mesh { tcp . 8080 }");
    assertThat(back.indexOf("delete element ip t vips { 10.0.1.2 }")).isLessThan(back.indexOf("delete chain ip t vip_10_0_1_2"));
  }

  public static void main(String[] args) {
    Ruleset a = NftModel.desired(fixture().build(), Set.of(), Set.of());
    Ruleset b = NftModel.desired(fixture().build(), Set.of("w2"), Set.of());
    Ruleset c = NftModel.desired(fixture().build(), Set.of("w1", "w2"), Set.of());
    System.out.println(NftScript.full("shoal_dns_chk", a));
    System.out.println("----");
    System.out.println(NftScript.diff("shoal_dns_chk", a, b));
    System.out.println("----");
    System.out.println(NftScript.diff("shoal_dns_chk", b, c));
    System.out.println("----");
    System.out.println(NftScript.diff("shoal_dns_chk", c, a));
  }
}
