package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void daemonFlagWinsOverTheCliDefaultButNotOverAnExplicitRequest() {
    assertThat(Addresses.listen("0.0.0.0:2377", "127.0.0.1:2577")).isEqualTo("127.0.0.1:2577");
    assertThat(Addresses.listen("", "127.0.0.1:2577")).isEqualTo("127.0.0.1:2577");
    assertThat(Addresses.listen("10.1.2.3:4000", "127.0.0.1:2577")).isEqualTo("10.1.2.3:4000");
    assertThat(Addresses.listen(null, null)).isEqualTo("0.0.0.0:2377");
    assertThat(Addresses.listen("127.0.0.1", null)).isEqualTo("127.0.0.1:2377");
  }

  @Test
  void advertiseTakesTheListenPortAndASpecificListenHost() {
    assertThat(Addresses.advertise("127.0.0.1", null, "0.0.0.0:2577")).isEqualTo("127.0.0.1:2577");
    assertThat(Addresses.advertise(null, null, "127.0.0.5:2577")).isEqualTo("127.0.0.5:2577");
    assertThat(Addresses.advertise("10.0.0.1:3000", null, "0.0.0.0:2577")).isEqualTo("10.0.0.1:3000");
    assertThat(Addresses.port("127.0.0.1:2587")).isEqualTo(2587);
    assertThat(Addresses.host("127.0.0.1:2587")).isEqualTo("127.0.0.1");
  }
}
