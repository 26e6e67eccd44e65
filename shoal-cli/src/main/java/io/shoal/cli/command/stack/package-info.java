/**
 * {@code shoal stack deploy|ls|ps|services|rm}: the compose loader, converter and planner of
 * {@code shoal-stack} run in the CLI, as docker's do in its CLI, and write through the Engine API
 * via {@link io.shoal.cli.command.stack.ApiStackTarget}.
 *
 * <pre>{@code
 * shoal stack deploy -c app.yml -c prod.yml --prune shop   # Creating network shop_default ...
 * shoal stack services shop                                 # service ls scoped to the stack
 * shoal stack rm shop                                       # Removing service shop_web ...
 * }</pre>
 *
 * <p>Beyond docker: {@code depends_on} is honoured (services are created in dependency order and
 * a {@code service_healthy} dependency is waited for); a cycle fails before anything is written.
 */
package io.shoal.cli.command.stack;
