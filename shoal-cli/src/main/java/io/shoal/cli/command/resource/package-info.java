/**
 * {@code shoal secret|config|network create|ls|inspect|rm}, with docker's tables.
 *
 * <pre>{@code
 * shoal secret create --label env=prod db_pw ./pw.txt    # prints the id
 * printf 'x' | shoal config create motd -
 * shoal network create --attachable --subnet 10.20.0.0/24 backend   # overlay by default
 * }</pre>
 */
package io.shoal.cli.command.resource;
