package io.shoal.rpc;

import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;

/**
 * What {@link JoinClient#join} brings back: this node's new credentials (checked: signed by the
 * verified CA, valid now, for the key generated here), the root CA to trust (no key), and the
 * leader's answer (managers, role, raft group for a new manager). The daemon writes the first
 * two with {@code CertificateStore} before doing anything else.
 */
public record JoinResult(NodeCredentials credentials, RootCA rootCA, JoinResponse response) {}
