/**
 * {@code shoal service create|ls|ps|inspect|update|scale|rm|logs}: docker's flags turned into
 * Docker-shaped ServiceSpecs ({@link io.shoal.cli.command.service.SpecFlags}), tables and the
 * convergence wait.
 *
 * <pre>{@code
 * $ shoal service create --name web --replicas 3 -p 8080:80 --limit-memory 64M busybox httpd -f
 * $ shoal service update --env-add A=1 --update-parallelism 2 web
 * $ shoal service scale web=6
 * $ shoal service ps web
 * }</pre>
 */
package io.shoal.cli.command.service;
