package io.shoal.stack.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.stack.StackException;
import io.shoal.stack.convert.ExternalRef;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.convert.StackService;
import io.shoal.stack.convert.StackSpecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a deploy (or a {@code stack rm}) writes, from the desired {@link StackSpecs} and the
 * {@link ClusterState}. Pure: same inputs, same plan; nothing is written here, so every check —
 * externals exist, no dependency cycle, no change to an immutable secret — happens before the
 * first write.
 *
 * <p>Rules, as {@code docker stack deploy}: an existing network of the same name is reused as is;
 * a secret or config whose data is unchanged is kept (label changes are an update); a service is
 * created, or updated when its spec differs, keeping the current {@code ForceUpdate} counter; with
 * {@code prune}, services of the stack that the file no longer has are removed. Unlike docker, an
 * unchanged service is not rewritten (so it does not get a new version), and a changed secret's
 * data is refused up front instead of failing half way.
 */
public final class StackPlanner {
  private StackPlanner() {}

  public static StackPlan plan(StackSpecs desired, ClusterState current, boolean prune) {
    checkExternals(desired, current);
    List<StackService> ordered = DependencyOrder.sort(desired.services());
    List<Step> steps = new ArrayList<>();

    for (Network.NetworkSpec n : desired.networks()) {
      if (current.network(n.name()).isEmpty()) steps.add(new Step.CreateNetwork(n));
    }
    for (Secret.Spec s : desired.secrets()) {
      Optional<Secret> cur = current.secret(s.name());
      if (cur.isEmpty()) {
        steps.add(new Step.CreateSecret(s));
      } else if (changed("secret", cur.get().spec(), s)) {
        steps.add(new Step.UpdateSecret(cur.get(), s));
      }
    }
    for (Secret.Spec c : desired.configs()) {
      Optional<Config> cur = current.config(c.name());
      if (cur.isEmpty()) {
        steps.add(new Step.CreateConfig(c));
      } else if (changed("config", cur.get().spec(), c)) {
        steps.add(new Step.UpdateConfig(cur.get(), c));
      }
    }
    List<String> unchanged = new ArrayList<>();
    for (StackService s : ordered) {
      Optional<Service> cur = current.service(s.spec().name());
      if (cur.isEmpty()) {
        steps.add(new Step.CreateService(s));
        continue;
      }
      StackService kept = keepForceUpdate(s, cur.get());
      if (sameSpec(cur.get().spec(), kept.spec())) {
        unchanged.add(s.spec().name());
      } else {
        steps.add(new Step.UpdateService(cur.get(), kept));
      }
    }
    if (prune) {
      Set<String> wanted = new HashSet<>();
      desired.services().forEach(s -> wanted.add(s.spec().name()));
      current.services().stream()
          .filter(s -> owned(desired.stack(), s.spec().labels()) && !wanted.contains(s.spec().name()))
          .sorted(Comparator.comparing(s -> s.spec().name()))
          .forEach(s -> steps.add(new Step.RemoveService(s)));
    }
    return new StackPlan(desired.stack(), steps, ordered, unchanged);
  }

  /** {@code stack rm}: services first (their tasks hold the rest), then secrets, configs, networks. */
  public static StackPlan remove(String stack, ClusterState current) {
    List<Step> steps = new ArrayList<>();
    current.services().stream().filter(s -> owned(stack, s.spec().labels()))
        .sorted(Comparator.comparing(s -> s.spec().name())).forEach(s -> steps.add(new Step.RemoveService(s)));
    current.secrets().stream().filter(s -> owned(stack, s.spec().labels()))
        .sorted(Comparator.comparing(s -> s.spec().name())).forEach(s -> steps.add(new Step.RemoveSecret(s)));
    current.configs().stream().filter(s -> owned(stack, s.spec().labels()))
        .sorted(Comparator.comparing(s -> s.spec().name())).forEach(s -> steps.add(new Step.RemoveConfig(s)));
    current.networks().stream().filter(s -> owned(stack, s.spec().labels()))
        .sorted(Comparator.comparing(s -> s.spec().name())).forEach(s -> steps.add(new Step.RemoveNetwork(s)));
    return new StackPlan(stack, steps, List.of(), List.of());
  }

  private static boolean owned(String stack, java.util.Map<String, String> labels) {
    return labels != null && stack.equals(labels.get(StackConverter.NAMESPACE_LABEL));
  }

  private static void checkExternals(StackSpecs desired, ClusterState current) {
    List<String> missing = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (ExternalRef ref : desired.externals()) {
      boolean found = switch (ref.kind()) {
        case NETWORK -> current.network(ref.name())
            .filter(n -> n.spec().scope() == null || "swarm".equals(n.spec().scope())).isPresent();
        case SECRET -> current.secret(ref.name()).isPresent();
        case CONFIG -> current.config(ref.name()).isPresent();
      };
      if (!found) {
        missing.add(ref.toString());
        lines.add(ref.kind() == ExternalRef.Kind.NETWORK
            ? "network \"" + ref.name() + "\" is declared as external, but could not be found."
                + " You need to create a swarm-scoped network before the stack is deployed"
            : ref.kind().word() + " \"" + ref.name() + "\" is declared as external, but could not be found");
      }
    }
    if (!missing.isEmpty()) throw new StackException.MissingExternal(String.join("\n", lines), missing);
  }

  private static boolean changed(String kind, Secret.Spec cur, Secret.Spec want) {
    // The API never returns a secret's data; when it is absent we cannot compare, and keep it.
    if (cur.data() != null && !cur.data().equals(want.data())) {
      throw new StackException.InvalidCompose(kind + " " + want.name() + ": its content changed, but a "
          + kind + " cannot be changed once created; give it a new name (for example with a version suffix)");
    }
    return !Objects.equals(cur.labels(), want.labels());
  }

  private static StackService keepForceUpdate(StackService s, Service cur) {
    Long force = cur.spec() == null || cur.spec().taskTemplate() == null ? null : cur.spec().taskTemplate().forceUpdate();
    if (force == null) return s;
    TaskSpec t = s.spec().taskTemplate();
    TaskSpec withForce = new TaskSpec(t.pluginSpec(), t.containerSpec(), t.networkAttachmentSpec(), t.resources(),
        t.restartPolicy(), t.placement(), force, t.runtime(), t.networks(), t.logDriver());
    return new StackService(s.composeName(), s.spec().withTaskTemplate(withForce), s.dependsOn());
  }

  /**
   * Compares as JSON, ignoring the secret/config ids the deploy fills in and the defaults an
   * engine may have filled in on create (port protocol tcp, publish mode ingress, 1 replica), so
   * that an unchanged file never causes an update.
   */
  static boolean sameSpec(ServiceSpec current, ServiceSpec desired) {
    return comparable(current).equals(comparable(desired));
  }

  private static JsonNode comparable(ServiceSpec spec) {
    JsonNode n = Json.lenient().valueToTree(spec);
    JsonNode cs = n.path("TaskTemplate").path("ContainerSpec");
    for (JsonNode r : cs.path("Secrets")) ((ObjectNode) r).remove("SecretID");
    for (JsonNode r : cs.path("Configs")) ((ObjectNode) r).remove("ConfigID");
    for (JsonNode p : n.path("EndpointSpec").path("Ports")) {
      ObjectNode port = (ObjectNode) p;
      if (!port.hasNonNull("Protocol")) port.put("Protocol", "tcp");
      if (!port.hasNonNull("PublishMode")) port.put("PublishMode", "ingress");
    }
    JsonNode replicated = n.path("Mode").path("Replicated");
    if (replicated.isObject() && !replicated.hasNonNull("Replicas")) ((ObjectNode) replicated).put("Replicas", 1L);
    return n;
  }
}
