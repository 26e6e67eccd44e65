/**
 * Output and value formats shared by the commands, matching docker's: aligned tables, Go-style
 * durations, binary memory sizes, NanoCPUs, human "ago" times, inspect JSON and {@code --format}.
 *
 * <pre>{@code
 * long nanos = Units.parseDuration("1m30s");        // 90_000_000_000
 * long bytes = Units.parseMemory("512M");           // 536_870_912
 * String out = new Table("ID", "NAME").row("abc", "web").render();
 * }</pre>
 */
package io.shoal.cli.format;
