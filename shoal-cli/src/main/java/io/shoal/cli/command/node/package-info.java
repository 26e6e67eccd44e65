/**
 * {@code shoal node ls|inspect|update|ps}.
 *
 * <pre>{@code
 * $ shoal node ls
 * $ shoal node update --availability drain --label-add zone=a self
 * $ shoal node ps self
 * }</pre>
 */
package io.shoal.cli.command.node;
