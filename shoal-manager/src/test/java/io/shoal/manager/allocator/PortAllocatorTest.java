package io.shoal.manager.allocator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
  static ServiceSpec ports(String name, PortConfig... p) {
    return spec(name, 1).withEndpointSpec(new EndpointSpec(null, List.of(p)));
  }

  static PortConfig ingress(int target, int published) {
    return new PortConfig(null, null, target, published, null);
  }

  static Service stored(String id, ServiceSpec spec, List<Service> others) {
    Service s = service(id, spec);
    return s.withEndpoint(PortAllocator.allocate(spec, null, others));
  }

  @Test
  void explicitPortsAndTheirConflict() {
    Service web = stored("w1", ports("web", ingress(80, 8080)), List.of());
    assertThat(web.endpoint().ports()).containsExactly(new PortConfig(null, "tcp", 80, 8080, "ingress"));
    assertThatThrownBy(() -> PortAllocator.allocate(ports("api", ingress(81, 8080)), null, List.of(web)))
        .isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessage("port '8080' is already in use by service 'web' (w1) as an ingress port");
    // another protocol, or host mode, does not conflict with an ingress port
    assertThat(PortAllocator.allocate(ports("dns", new PortConfig(null, "udp", 53, 8080, null)), null, List.of(web)).ports()).hasSize(1);
    assertThat(PortAllocator.allocate(ports("h", new PortConfig(null, "tcp", 80, 8080, "host")), null, List.of(web)).ports())
        .containsExactly(new PortConfig(null, "tcp", 80, 8080, "host"));
  }

  @Test
  void dynamicPortsComeFromSwarmsRangeLowestFree() {
    Service a = stored("a", ports("a", ingress(80, 30000)), List.of());
    Endpoint e = PortAllocator.allocate(ports("b", ingress(80, 0), ingress(443, 0)), null, List.of(a));
    assertThat(e.ports()).extracting(PortConfig::published).containsExactly(30001, 30002);
    assertThat(e.spec().mode()).isEqualTo("vip");
  }

  @Test
  void aServiceKeepsItsPortsOnUpdate() {
    Service a = stored("a", ports("a", ingress(80, 0)), List.of());
    assertThat(a.endpoint().ports().get(0).published()).isEqualTo(30000);
    Service b = stored("b", ports("b", ingress(80, 0)), List.of(a));
    // the update of a keeps 30000 (its own), and an explicit port it had is not a conflict with itself
    Endpoint again = PortAllocator.allocate(ports("a", ingress(80, 0), ingress(81, 9000)), a, List.of(a, b));
    assertThat(again.ports()).extracting(PortConfig::published).containsExactly(30000, 9000);
    Service a2 = a.withEndpoint(again);
    assertThat(PortAllocator.allocate(ports("a", ingress(81, 9000)), a2, List.of(a2, b)).ports())
        .extracting(PortConfig::published).containsExactly(9000);
  }

  @Test
  void theRangeRunsOut() {
    List<Service> all = new ArrayList<>();
    PortConfig[] many = new PortConfig[PortAllocator.DYNAMIC_END - PortAllocator.DYNAMIC_START + 1];
    for (int i = 0; i < many.length; i++) many[i] = ingress(1 + i % 60000, 0);
    all.add(stored("full", ports("full", many), List.of()));
    assertThatThrownBy(() -> PortAllocator.allocate(ports("x", ingress(80, 0)), null, all))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("30000-32767");
  }
}
