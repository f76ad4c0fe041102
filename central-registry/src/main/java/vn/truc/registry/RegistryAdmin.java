package vn.truc.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import vn.truc.core.crypto.Digests;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.registry.store.Registration;
import vn.truc.registry.store.RegistryStore;

/**
 * What an administrator does to a registry: add members and subsystems, decide on registration
 * requests. Works on the registry's database directly, so it works whether the registry is
 * running or not; a running registry publishes the change within a second.
 */
public final class RegistryAdmin implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final RegistryStore store;

    private RegistryAdmin(Database database, RegistryStore store) {
        this.database = database;
        this.store = store;
    }

    public static RegistryAdmin open(RegistryConfig config) {
        Database db = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(), "registry");
        return new RegistryAdmin(db, new RegistryStore(db, config.instance()));
    }

    /** Adds a member and returns its enrolment token (shown once; only its hash is stored). */
    public String addMember(ClientId member, String name) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        store.addMember(member, name, Digests.sha256Hex(token.getBytes(StandardCharsets.UTF_8)));
        return token;
    }

    public void addSubsystem(ClientId subsystem) {
        store.addSubsystem(subsystem);
    }

    /** Makes {@code subsystem} the one that receives its member's documents. */
    public void setDocumentSubsystem(ClientId subsystem) {
        if (!subsystem.isSubsystem()) {
            throw new TrucException(Origin.CLI, ErrorCode.INVALID_IDENTIFIER, subsystem + " is not a subsystem id");
        }
        store.setDocumentSubsystem(subsystem.memberId(), subsystem.subsystemCode());
    }

    /** The member no longer receives documents (until a document subsystem is set again). */
    public void clearDocumentSubsystem(ClientId member) {
        store.setDocumentSubsystem(member, null);
    }

    public List<GlobalConf.Member> members() {
        return store.members();
    }

    public List<Registration> registrations() {
        return store.registrations();
    }

    public List<GlobalConf.SecurityServer> servers() {
        return store.securityServers();
    }

    public Registration approve(long id) {
        return store.approve(id);
    }

    public Registration reject(long id, String reason) {
        return store.reject(id, reason);
    }

    /**
     * Approves a certification authority, e.g. an external one, with the OCSP responder that
     * answers for its certificates.
     */
    public void addCertificationAuthority(String name, X509Certificate certificate, URI ocspUrl) {
        store.addCertificationAuthority(
                name, certificate, httpUrl(ocspUrl, "OCSP URL").toString());
    }

    /** Points an approved CA at another OCSP responder (an external one when the embedded is off). */
    public void setOcspUrl(String caName, URI ocspUrl) {
        store.setOcspUrl(caName, httpUrl(ocspUrl, "OCSP URL").toString());
    }

    public List<GlobalConf.CertificationAuthority> certificationAuthorities() {
        return store.certificationAuthorities();
    }

    /** Approves an RFC 3161 timestamping authority reachable at {@code url}. */
    public void addTimestampingAuthority(String name, URI url, X509Certificate certificate) {
        store.addTimestampingAuthority(name, httpUrl(url, "TSA URL").toString(), certificate);
    }

    public List<GlobalConf.TimestampingAuthority> timestampingAuthorities() {
        return store.timestampingAuthorities();
    }

    private static URI httpUrl(URI url, String what) {
        if (url == null
                || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new TrucException(
                    Origin.CLI,
                    ErrorCode.INVALID_REQUEST,
                    what + ": '" + url + "' (expected: an absolute http or https URL)");
        }
        return url;
    }

    @Override
    public void close() {
        database.close();
    }
}
