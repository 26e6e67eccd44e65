package io.shoal.network.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.network.overlay.OverlayState.Fdb;
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Neigh;
import org.junit.jupiter.api.Test;

/** Parsing of {@code ip -j} / {@code bridge -j} / {@code iptables -S} output recorded on iproute2 6.1. */
class LinkShellTest {
  @Test
  void linksKeepShoalsOnlyWithVxlanDetails() throws Exception {
    String json = """
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"address":"00:00:00:00:00:00"},
         {"ifindex":2,"ifname":"shb-x","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,
          "address":"02:42:0A:00:00:01","linkinfo":{"info_kind":"bridge","info_data":{"stp_state":0}}},
         {"ifindex":3,"ifname":"shv-x","flags":["BROADCAST","MULTICAST"],"mtu":1450,"master":"shb-x",
          "address":"e2:5c:75:22:62:81","linkinfo":{"info_kind":"vxlan","info_data":{"id":4097,"local":"127.0.0.1","port":4789}}},
         {"ifindex":4,"ifname":"docker0","flags":["UP"],"mtu":1500,"address":"02:42:dc:b0:a6:3d",
          "linkinfo":{"info_kind":"bridge"}}]""";
    assertThat(LinkShell.parseLinks(json)).containsExactly(
        new Link("shb-x", "bridge", "", "02:42:0a:00:00:01", 1450, true, 0, 0, ""),
        new Link("shv-x", "vxlan", "shb-x", "e2:5c:75:22:62:81", 1450, false, 4097, 4789, "127.0.0.1"));
  }

  @Test
  void fdbKeepsEntriesTowardsPeersOnly() throws Exception {
    String json = """
        [{"mac":"e2:5c:75:22:62:81","flags":[],"master":"shb-x","state":"permanent"},
         {"mac":"00:00:00:00:00:00","dst":"10.1.1.9","flags":["self"],"state":"permanent"},
         {"mac":"02:42:0a:00:00:05","dst":"10.1.1.1","flags":["self"],"state":"permanent"}]""";
    assertThat(LinkShell.parseFdb("shv-x", json)).containsExactly(new Fdb("shv-x", "02:42:0a:00:00:05", "10.1.1.1"));
  }

  @Test
  void neighboursWithAnAddress() throws Exception {
    String json = """
        [{"dst":"10.0.0.5","lladdr":"02:42:0a:00:00:05","state":["PERMANENT"]},{"dst":"10.0.0.6","state":["FAILED"]}]""";
    assertThat(LinkShell.parseNeigh("shv-x", json)).containsExactly(new Neigh("shv-x", "10.0.0.5", "02:42:0a:00:00:05"));
  }

  @Test
  void acceptRulesOfShoalBridges() {
    String rules = """
        -N DOCKER-USER
        -A DOCKER-USER -o shb-abc -m conntrack --ctstate DNAT -j ACCEPT
        -A DOCKER-USER -o br-123 -j ACCEPT
        -A DOCKER-USER -j RETURN
        """;
    assertThat(LinkShell.parseAcceptRules(rules)).containsExactly("shb-abc");
  }

  @Test
  void macIsDockersDerivation() {
    assertThat(OverlayNames.mac("10.0.1.7/24")).isEqualTo("02:42:0a:00:01:07");
    assertThat(OverlayNames.mac("192.168.255.1")).isEqualTo("02:42:c0:a8:ff:01");
  }
}
