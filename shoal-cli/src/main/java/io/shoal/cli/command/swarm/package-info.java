/**
 * {@code shoal swarm init|leave|inspect}.
 *
 * <pre>{@code
 * $ shoal swarm init --advertise-addr 127.0.0.1 --task-history-limit 3
 * $ shoal swarm inspect -f '{{.JoinTokens.Worker}}'
 * $ shoal swarm leave --force
 * }</pre>
 */
package io.shoal.cli.command.swarm;
