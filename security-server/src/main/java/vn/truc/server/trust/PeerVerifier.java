package vn.truc.server.trust;

import static vn.truc.server.trust.CertificateNames.describe;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.GlobalConf.CertificationAuthority;
import vn.truc.core.globalconf.GlobalConf.SecurityServer;
import vn.truc.core.id.SecurityServerId;

/**
 * Decides whether a peer security server's TLS certificate is acceptable under the current global
 * configuration: valid now, issued by an approved CA, registered (by SHA-256 hash) for exactly one
 * security server, that server the one expected, and GOOD according to the CA's OCSP responder.
 * Peers are identified by their registered certificate, never by DNS names.
 *
 * <p>Every refusal is a {@link TrucException} whose message says exactly why, for the log line of
 * the refused handshake. Thread-safe if the configuration supplier is.
 */
public final class PeerVerifier {
    private final Supplier<GlobalConf> conf;
    private final OcspClient ocsp;

    /**
     * @param conf the current global configuration; throws {@link ErrorCode#CONF_EXPIRED} once the
     *     copy held has expired, which refuses every peer
     */
    public PeerVerifier(Supplier<GlobalConf> conf, OcspClient ocsp) {
        this.conf = Objects.requireNonNull(conf, "conf");
        this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
    }

    /**
     * The security server that {@code chain} (leaf first; the rest is ignored, trust comes from
     * global configuration only) belongs to.
     *
     * @param expected the server the caller means to talk to, if it knows
     * @throws TrucException {@link ErrorCode#INVALID_CERTIFICATE} for a certificate that is not
     *     valid, not from an approved CA or not GOOD; {@link ErrorCode#ACCESS_DENIED} for one that is
     *     not registered, or registered for another server than {@code expected}
     */
    public SecurityServerId verify(X509Certificate[] chain, Optional<SecurityServerId> expected) {
        if (chain == null || chain.length == 0) {
            throw invalid("peer presented no certificate");
        }
        X509Certificate leaf = chain[0];
        GlobalConf current = conf.get();
        Instant now = ocsp.clock().instant();
        requireValidAt(leaf, now);
        CertificationAuthority ca = ApprovedCas.issuerOf(current, leaf, now);
        SecurityServerId peer = registeredServer(current, leaf);
        if (expected.isPresent() && !expected.get().equals(peer)) {
            throw denied("peer presented the certificate of " + peer + ", expected " + expected.get());
        }
        ocsp.fetch(leaf, ca.certificate(), ApprovedCas.ocspUrl(ca, leaf));
        return peer;
    }

    /**
     * The security server published at {@code host:port} (as {@link SecurityServer#address()}
     * says; host names compare case-insensitively).
     *
     * @throws TrucException {@link ErrorCode#UNKNOWN_SERVER} if none is
     */
    public SecurityServerId serverAt(String host, int port) {
        GlobalConf current = conf.get();
        List<SecurityServerId> published = current.securityServers().stream()
                .filter(server -> publishedAt(server.address(), host, port))
                .map(SecurityServer::id)
                .collect(Collectors.toList());
        if (published.size() == 1) {
            return published.get(0);
        }
        String where = host + ":" + port;
        if (published.isEmpty()) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.UNKNOWN_SERVER,
                    "no security server is published at " + where + " in global configuration " + current.serial());
        }
        throw new TrucException(
                Origin.SERVER,
                ErrorCode.INVALID_CONFIG,
                "several security servers are published at " + where + ": " + published);
    }

    private static void requireValidAt(X509Certificate leaf, Instant now) {
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw invalid(describe(leaf) + " is not valid yet (valid from "
                    + leaf.getNotBefore().toInstant() + ")");
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw invalid(describe(leaf) + " has expired (valid until "
                    + leaf.getNotAfter().toInstant() + ")");
        }
    }

    private static SecurityServerId registeredServer(GlobalConf conf, X509Certificate leaf) {
        String hash = Certificates.sha256Hex(leaf);
        List<SecurityServerId> holders = conf.securityServers().stream()
                .filter(server -> server.authCertHashes().stream().anyMatch(hash::equalsIgnoreCase))
                .map(SecurityServer::id)
                .collect(Collectors.toList());
        if (holders.isEmpty()) {
            throw denied(describe(leaf) + " (SHA-256 " + hash + ") is not registered for any security server"
                    + " in global configuration " + conf.serial());
        }
        if (holders.size() > 1) {
            throw denied(describe(leaf) + " is registered for several security servers: " + holders);
        }
        return holders.get(0);
    }

    /** {@code address} is {@code host:port}, the host possibly a bracketed IPv6 literal. */
    private static boolean publishedAt(String address, String host, int port) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (host == null || colon < 0) {
            return false;
        }
        String publishedHost = address.substring(0, colon).replace("[", "").replace("]", "");
        String dialledHost = host.replace("[", "").replace("]", "");
        return publishedHost.toLowerCase(Locale.ROOT).equals(dialledHost.toLowerCase(Locale.ROOT))
                && address.substring(colon + 1).equals(String.valueOf(port));
    }

    private static TrucException invalid(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_CERTIFICATE, message);
    }

    private static TrucException denied(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.ACCESS_DENIED, message);
    }
}
