package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
  @ParameterizedTest
  @CsvSource({
      "5s, 5000000000",
      "1m30s, 90000000000",
      "1.5h, 5400000000000",
      "300ms, 300000000",
      "2us, 2000",
      "2\u00b5s, 2000",
      "7ns, 7",
      "0, 0",
      "0s, 0",
      "1h2m3s4ms, 3723004000000",
      ".5s, 500000000",
      "2160h, 7776000000000000"})
  void goDurations(String text, long nanos) {
    assertThat(Units.parseDuration(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "5x", "1m30", "-1s", "abc", "1..5s", "5 s"})
  void badDurations(String text) {
    assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "5000000000, 5s",
      "90000000000, 1m30s",
      "3600000000000, 1h0m0s",
      "500000000, 500ms",
      "1500, 1.5\u00b5s",
      "0, 0s",
      "7776000000000000, 2160h0m0s",
      "1500000000, 1.5s"})
  void goDurationStrings(long nanos, String text) {
    assertThat(Units.formatDuration(nanos)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
      "512M, 536870912",
      "512m, 536870912",
      "1g, 1073741824",
      "1GB, 1073741824",
      "1GiB, 1073741824",
      "64k, 65536",
      "100, 100",
      "100b, 100",
      "1.5g, 1610612736",
      "1 t, 1099511627776"})
  void memorySizes(String text, long bytes) {
    assertThat(Units.parseMemory(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "M", "12X", "-5M", "1.2.3q", "ten"})
  void badMemorySizes(String text) {
    assertThatThrownBy(() -> Units.parseMemory(text)).hasMessageStartingWith("invalid size");
  }

  @ParameterizedTest
  @CsvSource({"536870912, 512MiB", "1610612736, 1.5GiB", "100, 100B", "1024, 1KiB", "25769803776, 24GiB"})
  void byteStrings(long bytes, String text) {
    assertThat(Units.formatBytes(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"0.5, 500000000", "2, 2000000000", "0.000000001, 1", "1.25, 1250000000"})
  void cpus(String text, long nanos) {
    assertThat(Units.parseCpus(text)).isEqualTo(nanos);
    assertThat(Units.parseCpus(Units.formatCpus(nanos))).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0000000001", "abc", "-1", ""})
  void badCpus(String text) {
    assertThatThrownBy(() -> Units.parseCpus(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "0, Less than a second",
      "1, 1 second",
      "5, 5 seconds",
      "59, 59 seconds",
      "60, About a minute",
      "119, About a minute",
      "120, 2 minutes",
      "3599, 59 minutes",
      "3600, About an hour",
      "7200, 2 hours",
      "172800, 2 days",
      "1209600, 2 weeks",
      "5184000, 2 months",
      "63072000, 2 years"})
  void humanDurations(long seconds, String text) {
    assertThat(HumanTime.duration(Duration.ofSeconds(seconds))).isEqualTo(text);
  }
}
