package io.shoal.stack.convert;

import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code docker stack deploy} would create for one compose project, as API specs:
 * services (sorted by name), the networks services use, secrets and configs the file declares, and
 * the external objects that must already exist. Configs use {@link Secret.Spec}, as the API does.
 */
public record StackSpecs(
    String stack,
    List<StackService> services,
    List<Network.NetworkSpec> networks,
    List<Secret.Spec> secrets,
    List<Secret.Spec> configs,
    List<ExternalRef> externals) {
  public StackSpecs {
    services = List.copyOf(services);
    networks = List.copyOf(networks);
    secrets = List.copyOf(secrets);
    configs = List.copyOf(configs);
    externals = List.copyOf(externals);
  }

  /** The service by compose name ({@code web}) or full name ({@code stack_web}). */
  public Optional<StackService> service(String name) {
    return services.stream()
        .filter(s -> s.composeName().equals(name) || s.spec().name().equals(name))
        .findFirst();
  }
}
