package io.shoal.stack.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.stack.Corpus;
import io.shoal.stack.StackException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeLoaderTest {

  private static ComposeProject text(String yaml, Map<String, String> env) {
    return ComposeLoader.builder().environment(env).build()
        .loadSources(List.of(ComposeSource.ofText("stack.yml", yaml, Path.of("/srv/app"))));
  }

  @Test
  void anchorsAndMergeKeysAreResolved() {
    JsonNode web = Corpus.shop().model().at("/services/web/deploy");
    assertThat(web.at("/restart_policy/condition").asText()).isEqualTo("on-failure");
    assertThat(web.at("/update_config/parallelism").asInt()).isEqualTo(2);
    JsonNode cache = Corpus.shop().model().at("/services/cache/deploy/update_config");
    // "<<: *default-update" then "parallelism: 1": the local key wins over the merged one.
    assertThat(cache.get("parallelism").asInt()).isEqualTo(1);
    assertThat(cache.get("order").asText()).isEqualTo("start-first");
  }

  @Test
  void interpolationUsesEnvironmentThenDotEnvAndCastsTypes() {
    JsonNode web = Corpus.shop().model().at("/services/web");
    assertThat(web.get("image").asText()).isEqualTo("registry.example.com/shop/web:1.4.2");
    assertThat(web.at("/deploy/replicas").isIntegralNumber()).isTrue();
    assertThat(web.at("/deploy/replicas").asInt()).isEqualTo(3);
    assertThat(web.at("/labels/com.example.tier").asText()).isEqualTo("frontend");
    assertThat(web.at("/environment/PRICE").asText()).isEqualTo("$5");

    var env = new java.util.HashMap<>(Corpus.SHOP_ENV);
    env.put("REGISTRY", "mirror.local:5000");
    env.put("TIER", "");
    JsonNode over = Corpus.load(env, "webapp/docker-compose.yml").model().at("/services/web");
    assertThat(over.get("image").asText()).isEqualTo("mirror.local:5000/shop/web:1.4.2");
    // ${TIER-frontend} only defaults when unset; set-but-empty stays empty.
    assertThat(over.at("/labels/com.example.tier").asText()).isEmpty();
  }

  @Test
  void everyInterpolationForm() {
    Interpolator i = new Interpolator("f.yml", Map.of("SET", "v", "EMPTY", ""));
    assertThat(i.substitute("$SET-${SET}", "p")).isEqualTo("v-v");
    assertThat(i.substitute("${UNSET:-d}|${EMPTY:-d}|${SET:-d}", "p")).isEqualTo("d|d|v");
    assertThat(i.substitute("${UNSET-d}|${EMPTY-d}|${SET-d}", "p")).isEqualTo("d||v");
    assertThat(i.substitute("${UNSET:+a}|${EMPTY:+a}|${SET:+a}|${EMPTY+a}", "p")).isEqualTo("||a|a");
    assertThat(i.substitute("$$SET $${SET} cost $$5", "p")).isEqualTo("$SET ${SET} cost $5");
    assertThat(i.substitute("${UNSET:-${SET}-x}", "p")).isEqualTo("v-x");
    assertThat(i.substitute("${EMPTY?must}", "p")).isEmpty();
    assertThat(i.substitute("$UNSET", "p")).isEmpty();
    assertThatThrownBy(() -> i.substitute("${EMPTY:?must be set}", "services.web.image"))
        .hasMessage("f.yml: services.web.image: required variable EMPTY is missing a value: must be set");
    assertThatThrownBy(() -> i.substitute("${UNSET?}", "x"))
        .hasMessage("f.yml: x: required variable UNSET is missing a value");
    assertThatThrownBy(() -> i.substitute("${SET", "services.a.image"))
        .hasMessageStartingWith("f.yml: services.a.image: invalid interpolation format");
    assertThatThrownBy(() -> i.substitute("cost $", "k")).hasMessageContaining("invalid interpolation format");
  }

  @Test
  void requiredVariableErrorNamesFileAndPath() {
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/required-var.yml"))
        .isInstanceOf(StackException.InvalidCompose.class)
        .hasMessage("bad/required-var.yml".replace("bad/", Corpus.path("bad").toString() + "/")
            + ": services.web.image: required variable TAG is missing a value: TAG must be set");
  }

  @Test
  void explicitEnvFileReplacesDotEnv() {
    String yaml = "services:\n  web:\n    image: ${IMG}\n    deploy:\n      replicas: ${N:-1}\n";
    Path dir = Corpus.path("webapp");
    ComposeProject p = ComposeLoader.builder().environment(Map.of("IMG", "nginx"))
        .envFile(Path.of(".env")).build()
        .loadSources(List.of(ComposeSource.ofText("s.yml", yaml.replace("${N:-1}", "${WEB_REPLICAS}"), dir)));
    assertThat(p.model().at("/services/web/deploy/replicas").asInt()).isEqualTo(3);
    assertThatThrownBy(() -> ComposeLoader.builder().envFile(Path.of("missing.env")).build()
        .loadSources(List.of(ComposeSource.ofText("s.yml", yaml, dir))))
        .hasMessageEndingWith("missing.env: env file not found");
  }

  @Test
  void envFileThenEnvironmentThenProcessVariablesForEmptyValues() {
    JsonNode env = Corpus.shop().model().at("/services/web/environment");
    assertThat(env.get("LOG_LEVEL").asText()).isEqualTo("info");
    assertThat(env.get("DEBUG").asText()).isEqualTo("false"); // environment wins over env_file
    assertThat(env.get("FROM_ENV").asText()).isEqualTo("from-test");
    assertThat(env.get("TZ").asText()).isEqualTo("UTC");
    assertThat(env.get("WORKERS").asText()).isEqualTo("4");
  }

  @Test
  void yaml12ScalarsAndDuplicateKeys() {
    ComposeProject p = text("services:\n  web:\n    image: nginx\n    labels:\n      a: yes\n      b: on\n"
        + "      c: 2024-01-02\n      d: 010\n", Map.of());
    JsonNode labels = p.model().at("/services/web/labels");
    assertThat(labels.get("a").asText()).isEqualTo("yes");
    assertThat(labels.get("b").asText()).isEqualTo("on");
    assertThat(labels.get("c").asText()).isEqualTo("2024-01-02");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: a\n    image: b\n", Map.of()))
        .hasMessageStartingWith("stack.yml: invalid YAML:").hasMessageContaining("duplicate key image");
  }

  @Test
  void invalidYamlNamesFileAndLine() {
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/invalid-yaml.yml"))
        .isInstanceOf(StackException.InvalidCompose.class)
        .hasMessageContaining("invalid-yaml.yml: invalid YAML: line 4, column 4:");
  }

  @Test
  void schemaViolationsNameTheKeyPath() {
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/port-type.yml"))
        .hasMessageEndingWith("port-type.yml: services.web.ports.0: must be a number, a string or a mapping");
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/unknown-key.yml"))
        .hasMessageEndingWith("unknown-key.yml: services.web.deploy: additional property placment is not allowed");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: nginx\n    deploy:\n      mode: swarm\n", Map.of()))
        .hasMessageStartingWith("stack.yml: services.web.deploy.mode: must be one of");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: [nginx]\n", Map.of()))
        .hasMessage("stack.yml: services.web.image: must be a string");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: n\n    ports:\n      - published: 80\n", Map.of()))
        .hasMessage("stack.yml: services.web.ports.0: target is required");
    assertThatThrownBy(() -> text("servces:\n  web:\n    image: n\n", Map.of()))
        .hasMessage("stack.yml: additional property servces is not allowed");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: n\n    stop_grace_period: 10 seconds\n", Map.of()))
        .hasMessage("stack.yml: services.web.stop_grace_period: must be a duration such as 10s, 1m30s or 1h,"
            + " not \"10 seconds\"");
  }

  @Test
  void extensionFieldsAreAcceptedWhereComposeAllowsThem() {
    ComposeProject p = text("x-top: {a: 1}\nservices:\n  web:\n    image: n\n    x-svc: 1\n"
        + "    deploy:\n      x-d: 2\n      resources:\n        x-r: 3\nnetworks:\n  n1:\n    x-n: 4\n", Map.of());
    assertThat(p.model().at("/services/web/x-svc").asInt()).isEqualTo(1);
  }

  @Test
  void unsupportedAndDeprecatedOptionsAreWarnedAsDockerDoes() {
    ComposeProject p = Corpus.load(Map.of(), "bad/unsupported.yml");
    assertThat(p.warnings()).containsExactly(
        "Ignoring unsupported options: build, links, network_mode, privileged, restart",
        "Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\n\n"
            + "expose: Exposing ports is unnecessary - services on the same network can access each other's"
            + " containers on any port.");
    assertThat(Corpus.shop().warnings()).containsExactly("Ignoring unsupported options: restart");
  }

  @Test
  void forbiddenKeysAndOldVersionsAreRefused() {
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/forbidden.yml"))
        .hasMessageContaining("forbidden properties")
        .hasMessageContaining("services.web.mem_limit: Set resource limits using deploy.resources");
    assertThatThrownBy(() -> Corpus.load(Map.of(), "bad/version2.yml"))
        .hasMessageContaining("version2.yml: version: unsupported compose file version 2.4");
  }

  @Test
  void shortSyntaxIsNormalizedToLongForm() {
    ComposeProject p = text("services:\n  web:\n    image: n\n    ports:\n      - 80\n      - \"127.0.0.1:8000-8001:80-81/udp\"\n"
        + "    volumes:\n      - /data\n      - ./conf:/etc/conf:ro\n      - logs:/var/log:nocopy\n"
        + "    secrets: [s]\n    networks: [a]\n    depends_on: [db]\n    command: echo 'hello world' \"a b\"\n"
        + "    healthcheck:\n      test: curl -f localhost\n    ulimits:\n      nofile: 1024\n"
        + "    extra_hosts:\n      db: 10.0.0.1\n", Map.of());
    JsonNode web = p.model().at("/services/web");
    assertThat(web.get("ports").toString()).isEqualTo("[{\"mode\":\"ingress\",\"target\":80,\"protocol\":\"tcp\"},"
        + "{\"mode\":\"ingress\",\"target\":80,\"published\":8000,\"protocol\":\"udp\",\"host_ip\":\"127.0.0.1\"},"
        + "{\"mode\":\"ingress\",\"target\":81,\"published\":8001,\"protocol\":\"udp\",\"host_ip\":\"127.0.0.1\"}]");
    assertThat(web.get("volumes").toString()).isEqualTo("[{\"type\":\"volume\",\"target\":\"/data\"},"
        + "{\"type\":\"bind\",\"source\":\"/srv/app/conf\",\"target\":\"/etc/conf\",\"read_only\":true},"
        + "{\"type\":\"volume\",\"source\":\"logs\",\"target\":\"/var/log\",\"volume\":{\"nocopy\":true}}]");
    assertThat(web.get("secrets").toString()).isEqualTo("[{\"source\":\"s\"}]");
    assertThat(web.get("networks").toString()).isEqualTo("{\"a\":null}");
    assertThat(web.get("depends_on").toString()).isEqualTo("{\"db\":{\"condition\":\"service_started\"}}");
    assertThat(web.get("command").toString()).isEqualTo("[\"echo\",\"hello world\",\"a b\"]");
    assertThat(web.at("/healthcheck/test").toString()).isEqualTo("[\"CMD-SHELL\",\"curl -f localhost\"]");
    assertThat(web.at("/ulimits/nofile").toString()).isEqualTo("{\"soft\":1024,\"hard\":1024}");
    assertThat(web.get("extra_hosts").toString()).isEqualTo("[\"db:10.0.0.1\"]");
    assertThatThrownBy(() -> text("services:\n  web:\n    image: n\n    ports:\n      - \"80-82:80-81\"\n", Map.of()))
        .hasMessageStartingWith("stack.yml: services.web.ports.0: invalid ranges");
  }

  @Test
  void laterFilesOverrideEarlierOnes() {
    JsonNode web = Corpus.load(Map.of(), "override/base.yml", "override/prod.yml").model().at("/services/web");
    assertThat(web.get("image").asText()).isEqualTo("shop/web:2.0");
    assertThat(web.get("command").toString()).isEqualTo("[\"run\"]");
    assertThat(web.get("environment").toString()).isEqualTo("{\"MODE\":\"prod\",\"LOG\":\"debug\"}");
    // ports: a set, sorted by published port
    assertThat(web.get("ports").toString()).isEqualTo(
        "[{\"mode\":\"ingress\",\"target\":8443,\"published\":443,\"protocol\":\"tcp\"},"
            + "{\"mode\":\"ingress\",\"target\":8000,\"published\":8000,\"protocol\":\"tcp\"}]");
    // volumes: by target, so /app/src now comes from the named volume
    assertThat(web.get("volumes").toString()).isEqualTo(
        "[{\"type\":\"volume\",\"source\":\"cache\",\"target\":\"/app/cache\"},"
            + "{\"type\":\"volume\",\"source\":\"cache\",\"target\":\"/app/src\"}]");
    assertThat(web.get("secrets").toString()).isEqualTo("[{\"source\":\"api_key\",\"target\":\"key\"}]");
    assertThat(web.get("dns").toString()).isEqualTo("[\"1.1.1.1\",\"8.8.8.8\"]");
    assertThat(web.get("logging").toString())
        .isEqualTo("{\"driver\":\"json-file\",\"options\":{\"max-size\":\"1m\",\"max-file\":\"5\"}}");
    assertThat(web.at("/deploy/replicas").asInt()).isEqualTo(4);
    assertThat(web.at("/deploy/labels/tier").asText()).isEqualTo("web");
    assertThat(web.at("/deploy/resources/limits").toString()).isEqualTo("{\"memory\":\"256M\",\"cpus\":\"2\"}");
    JsonNode model = Corpus.load(Map.of(), "override/base.yml", "override/prod.yml").model();
    assertThat(model.at("/services/proxy/image").asText()).isEqualTo("traefik:3");
    assertThat(model.at("/secrets/api_key").toString()).isEqualTo("{\"external\":true,\"name\":\"shared_api_key\"}");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> ComposeLoader.builder().build().load(List.of(Path.of("/nonexistent/stack.yml"))))
        .hasMessage("/nonexistent/stack.yml: no such file");
  }
}
