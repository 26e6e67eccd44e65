/**
 * The compose loader: YAML (anchors, {@code <<:} merge keys) → interpolation → Shoal's own JSON
 * schema ({@code compose-schema.json}) → long form → merge of several files.
 *
 * <pre>{@code
 * ComposeProject p = ComposeLoader.builder()
 *     .environment(Map.of("TAG", "1.4"))
 *     .envFile(Path.of("prod.env"))             // optional; default .env beside the first file
 *     .build()
 *     .load(List.of(Path.of("docker-compose.yml"), Path.of("docker-compose.prod.yml")));
 * JsonNode web = p.model().at("/services/web");  // long form: ports/volumes/secrets as objects
 * }</pre>
 *
 * <p>Errors are {@link io.shoal.stack.StackException.InvalidCompose} with messages like
 * {@code docker-compose.yml: services.web.ports.0: must be a number, a string or a mapping}.
 * Override rules are documented on {@code Merger}.
 */
package io.shoal.stack.load;
