package io.shoal.stack.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.PortConfig;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.ServiceSpec;
import io.shoal.stack.Corpus;
import io.shoal.stack.load.ComposeProject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole services built from a shared base with merge keys; ports and names from variables. */
class BlogStackTest {
  private final ComposeProject project =
      Corpus.load(Map.of("MYSQL_PASSWORD", "hunter2", "DASHBOARD_PORT", "9090"), "blog/stack.yml");
  private final StackSpecs specs = StackConverter.convert("blog", project);

  private ServiceSpec spec(String name) {
    return specs.service(name).orElseThrow().spec();
  }

  @Test
  void sharedBaseAppliesToEveryService() {
    for (String name : new String[] {"traefik", "wordpress", "mysql"}) {
      ServiceSpec s = spec(name);
      assertThat(s.taskTemplate().restartPolicy()).isEqualTo(new RestartPolicy("any", null, null, null));
      assertThat(s.taskTemplate().logDriver().name()).isEqualTo("json-file");
      assertThat(s.taskTemplate().resources().limits().nanoCPUs()).isEqualTo(1_500_000_000L);
      assertThat(s.taskTemplate().resources().limits().memoryBytes()).isEqualTo(1L << 30);
    }
    // deploy.labels replaced by the service's own (a merge key is shallow, as in YAML)
    assertThat(spec("wordpress").labels()).containsEntry("traefik.http.services.blog.loadbalancer.server.port", "80")
        .containsEntry("traefik.http.routers.blog.rule", "Host(`blog.example.com`)")
        .doesNotContainKey("com.example.stack");
    assertThat(spec("mysql").labels()).containsEntry("com.example.stack", "blog");
    assertThat(project.warnings()).containsExactly("Ignoring unsupported options: restart");
  }

  @Test
  void portsFromVariables() {
    assertThat(spec("traefik").endpointSpec().ports()).containsExactly(
        new PortConfig(null, "tcp", 80, 80, "ingress"),
        new PortConfig(null, null, 8080, 9090, "host"));
    assertThat(spec("traefik").taskTemplate().containerSpec().args())
        .containsExactly("--providers.swarm.endpoint=unix:///var/run/docker.sock", "--entrypoints.web.address=:80");
  }

  @Test
  void secretFromEnvironmentAndStartInterval() {
    assertThat(specs.secrets()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("blog_mysql_password");
      assertThat(new String(Base64.getDecoder().decode(s.data()), StandardCharsets.UTF_8)).isEqualTo("hunter2");
    });
    var hc = spec("mysql").taskTemplate().containerSpec().healthCheck();
    assertThat(hc.startInterval()).isEqualTo(2_000_000_000L);
    assertThat(hc.startPeriod()).isEqualTo(30_000_000_000L);
    assertThat(spec("mysql").taskTemplate().containerSpec().env())
        .containsExactly("MYSQL_DATABASE=wordpress", "MYSQL_PASSWORD_FILE=/run/secrets/mysql_password",
            "MYSQL_RANDOM_ROOT_PASSWORD=yes", "MYSQL_USER=wp");
    assertThat(specs.networks()).extracting(n -> n.name() + ":" + n.driver())
        .containsExactly("blog_internal:overlay", "blog_proxy:overlay");
    assertThat(spec("wordpress").taskTemplate().networks()).extracting(n -> n.target())
        .containsExactly("blog_internal", "blog_proxy");
  }
}
