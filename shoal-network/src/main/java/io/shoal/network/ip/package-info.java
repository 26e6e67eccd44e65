/**
 * IPv4 addresses and prefixes as the network view writes them, parsed without name lookups.
 *
 * <pre>{@code
 * Cidr gw = Cidr.parse("10.0.1.1/24");
 * gw.contains(Cidr.toInt("10.0.1.7")); // true
 * }</pre>
 */
package io.shoal.network.ip;
