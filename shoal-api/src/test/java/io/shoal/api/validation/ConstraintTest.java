package io.shoal.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.api.model.Version;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConstraintTest {
  static final Node NODE = new Node("abc123", Version.ZERO, null, null,
      new Node.NodeSpec(null, Map.of("zone", "east", "Disk", "ssd"), "manager", "active"),
      new Node.Description("host-1", new Node.Platform("x86_64", "linux"), null,
          new Node.Engine("28.0", Map.of("storage", "overlay2"), null), null),
      new Node.Status(Node.READY, null, null), null);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "node.id==abc123, true", "node.id!=abc123, false", "node.id==ABC123, true", "node.id==other, false",
      "node.hostname==host-1, true", "node.hostname!=host-1, false", "node.hostname==HOST-1, true",
      "node.role==manager, true", "node.role!=manager, false", "node.role==worker, false", "Node.Role==Manager, true",
      "node.platform.os==linux, true", "node.platform.os!=linux, false", "node.platform.os==windows, false",
      "node.platform.arch==x86_64, true", "node.platform.arch!=x86_64, false",
      "node.labels.zone==east, true", "node.labels.zone!=east, false", "node.labels.zone==west, false",
      // Swarm compares values case-insensitively, labels too; the label key itself is case-sensitive
      "node.labels.zone==EAST, true", "node.labels.Disk==ssd, true", "node.labels.disk==ssd, false",
      "node.labels.missing==x, false", "node.labels.missing!=x, true",
      "engine.labels.storage==overlay2, true", "engine.labels.storage!=overlay2, false", "engine.labels.storage==zfs, false",
      "  node.role == manager  , true"})
  void matchesEveryKeyWithEqualsAndNotEquals(String expr, boolean expected) {
    assertThat(Constraint.parse(expr).matches(NODE)).isEqualTo(expected);
  }

  @Test
  void nodeWithoutDescriptionOrLabels() {
    Node bare = new Node("n", Version.ZERO, null, null, new Node.NodeSpec(null, null, "worker", null), null, null, null);
    assertThat(Constraint.parse("node.hostname==x").matches(bare)).isFalse();
    assertThat(Constraint.parse("node.hostname!=x").matches(bare)).isTrue();
    assertThat(Constraint.parse("engine.labels.a==b").matches(bare)).isFalse();
    assertThat(Constraint.parse("node.platform.os!=linux").matches(bare)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.role", "node.role=manager", "node.color==red", "==manager", "node.role==", "node.labels.==x",
      "engine.labels.==x", "node.role==a==b", "node.role!=a==b", "node.labels", "foo!=bar"})
  void rejectsBadExpressionsNamingThem(String expr) {
    assertThatThrownBy(() -> Constraint.parse(expr))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("invalid constraint \"" + expr + "\"");
  }

  @Test
  void parseAllKeepsOrderAndToStringRoundTrips() {
    var all = Constraint.parseAll(java.util.List.of("node.role==worker", "node.labels.zone!=b"));
    assertThat(all).extracting(Constraint::toString).containsExactly("node.role==worker", "node.labels.zone!=b");
    assertThat(Constraint.parseAll(null)).isEmpty();
  }
}
