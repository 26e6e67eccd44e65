package io.shoal.daemon.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SwarmSpecsTest {
  private static Cluster.SwarmSpec withExpiry(Long nanos) {
    Cluster.SwarmSpec d = Cluster.SwarmSpec.defaults();
    return new Cluster.SwarmSpec(d.name(), d.labels(), d.orchestration(), d.raft(), d.dispatcher(),
        new Cluster.CAConfig(nanos, null, null, null, null), d.encryptionConfig(), d.taskDefaults());
  }

  @Test
  void certExpiryIsKeptForLaterCertificates() {
    long twoHours = Duration.ofHours(2).toNanos();
    assertThat(SwarmSpecs.update(withExpiry(twoHours)).caConfig().nodeCertExpiry()).isEqualTo(twoHours);
    assertThat(SwarmSpecs.update(withExpiry(0L)).caConfig().nodeCertExpiry()).as("zero means the default, 90 days")
        .isEqualTo(Duration.ofDays(90).toNanos());
  }

  @Test
  void certExpiryBelowAnHourIsRefusedAsSwarmDoes() {
    assertThatThrownBy(() -> SwarmSpecs.update(withExpiry(Duration.ofMinutes(30).toNanos())))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessage("minimum certificate expiry time is 1h0m0s");
  }
}
