/**
 * Mapping of a loaded compose project to the API specs {@code docker stack deploy} sends:
 * {@link io.shoal.api.model.ServiceSpec}s, network create requests, secret and config specs, and
 * the external objects that must exist.
 *
 * <pre>{@code
 * StackSpecs specs = StackConverter.convert("shop", project);
 * ServiceSpec web = specs.service("web").orElseThrow().spec();   // name "shop_web"
 * specs.networks();   // shop_default etc., overlay, labelled com.docker.stack.namespace=shop
 * specs.externals();  // [network traefik_public, secret shared_api_key]
 * long ns = Units.durationNanos("1m30s");
 * }</pre>
 */
package io.shoal.stack.convert;
