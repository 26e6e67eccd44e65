/**
 * The {@code shoal} command line: entry point, the world commands run in ({@link
 * io.shoal.cli.Cli}), and {@code shoal daemon} forwarding.
 *
 * <pre>{@code
 * $ shoal service create --name web --replicas 3 -p 8080:80 busybox httpd -f -p 80
 * int code = ShoalMain.run(new String[] {"service", "ls"}, Cli.system());
 * }</pre>
 */
package io.shoal.cli;
