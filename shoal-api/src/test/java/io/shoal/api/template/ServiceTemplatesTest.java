package io.shoal.api.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.validation.SpecValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** T1: Swarm's templates — parsing, rendering, where they apply, and the create-time check. */
class ServiceTemplatesTest {
  private static final Task TASK = new Task("tid", null, null, null, "web.3", Map.of(), null, "sid", 3, "nid", null, null, null, null, null);
  private static final Map<String, Object> CTX = ServiceTemplates.context("sid", "web", Map.of("tier", "front"), TASK, "nid",
      new Node.Description("host-a", new Node.Platform("x86_64", "linux"), null, null, null));

  @Test
  void rendersSwarmPlaceholdersAndFunctions() {
    assertThat(GoTemplate.parse("{{.Node.Hostname}}-{{.Task.Slot}}").render(CTX, GoTemplate.Functions.NONE)).isEqualTo("host-a-3");
    assertThat(GoTemplate.parse("{{.Service.ID}} {{.Service.Name}} {{.Task.ID}} {{.Task.Name}} {{.Node.ID}} {{.Node.Platform.OS}}/{{.Node.Platform.Architecture}}")
        .render(CTX, GoTemplate.Functions.NONE)).isEqualTo("sid web tid web.3.tid nid linux/x86_64");
    assertThat(GoTemplate.parse("{{index .Service.Labels \"tier\"}}").render(CTX, GoTemplate.Functions.NONE)).isEqualTo("front");
    assertThat(GoTemplate.parse("a {{- \" b \" -}} c").render(CTX, GoTemplate.Functions.NONE)).isEqualTo("a b c");
    assertThat(GoTemplate.parse("x={{env \"X\"}}").render(CTX, (f, a) -> f + ":" + a)).isEqualTo("x=env:X");
  }

  @Test
  void badTemplatesSayWhatIsWrong() {
    assertThatThrownBy(() -> GoTemplate.parse("{{.Task.Slot")).hasMessageContaining("unclosed action");
    assertThatThrownBy(() -> GoTemplate.parse("{{nope .Task}}")).hasMessageContaining("function \"nope\" not defined");
    assertThatThrownBy(() -> GoTemplate.parse("{{.Task.Bogus}}").render(CTX, GoTemplate.Functions.NONE))
        .hasMessageContaining("can't evaluate field Bogus in .Task");
    assertThatThrownBy(() -> GoTemplate.parse("{{if .Task}}x{{end}}")).hasMessageContaining("\"if\" is not supported");
  }

  @Test
  void expandsHostnameEnvMountsAndLabelsOnly() {
    ContainerSpec withHost = io.shoal.api.json.Json.read(("{\"Image\":\"busybox:{{.Task.Slot}}\",\"Hostname\":\"{{.Node.Hostname}}-{{.Task.Slot}}\","
        + "\"Labels\":{\"l\":\"{{.Service.Name}}\"},\"Env\":[\"SLOT={{.Task.Slot}}\",\"PLAIN=1\"],"
        + "\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"tv-{{.Task.Slot}}\",\"Target\":\"/data/{{.Task.Slot}}\"}]}").getBytes(),
        ContainerSpec.class);
    ContainerSpec out = ServiceTemplates.expand(withHost, CTX, GoTemplate.Functions.NONE);
    assertThat(out.hostname()).isEqualTo("host-a-3");
    assertThat(out.env()).containsExactly("SLOT=3", "PLAIN=1");
    assertThat(out.mounts().get(0).source()).isEqualTo("tv-3");
    assertThat(out.mounts().get(0).target()).isEqualTo("/data/3");
    assertThat(out.labels()).containsEntry("l", "web");
    assertThat(out.image()).as("the image is not a template field in Swarm").isEqualTo("busybox:{{.Task.Slot}}");
  }

  @Test
  void aBadTemplateIsRefusedAtCreateNamingTheField() {
    ServiceSpec spec = new ServiceSpec("web", Map.of(), TaskSpec.of(ContainerSpec.ofImage("busybox").withEnv(List.of("A={{.Task.Nope}}"))),
        ServiceMode.replicas(1), null, null, null, null);
    assertThatThrownBy(() -> SpecValidator.validateService(spec)).isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessageContaining("ContainerSpec.Env").hasMessageContaining("can't evaluate field Nope");
  }
}
