package io.shoal.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Route templates are the API metrics' route label: ids never leak into label values. */
class RouterTemplateTest {
  @Test
  void groupsBecomeIdAndRegexSyntaxGoes() {
    assertThat(Router.template("^/services/([^/]+)/update$")).isEqualTo("/services/{id}/update");
    assertThat(Router.template("^/distribution/(.+)/json$")).isEqualTo("/distribution/{id}/json");
    assertThat(Router.template("^/swarm/init$")).isEqualTo("/swarm/init");
    assertThat(Router.template("^/a/((x)|(y))\\.json$")).isEqualTo("/a/{id}.json");
  }
}
