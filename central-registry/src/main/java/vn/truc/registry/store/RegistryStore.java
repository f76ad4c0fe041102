package vn.truc.registry.store;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.registry.trust.CertificateStatus;

/**
 * The registry's records: members, subsystems, security servers and their auth certificates,
 * registration requests, trust services, global groups and certificates the embedded CA issued.
 * Every change the global configuration reflects bumps the data version, which tells the
 * publisher to sign a new configuration.
 */
public final class RegistryStore {
    private final Database db;
    private final String instance;

    /** A store for the one instance this registry serves. */
    public RegistryStore(Database db, String instance) {
        this.db = db;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    // ---- members and subsystems

    public void addMember(ClientId member, String name, String enrolmentTokenHash) {
        requireMemberId(member);
        db.inTransaction(() -> {
            if (memberKey(member).isPresent()) {
                throw conflict("member " + member + " already exists");
            }
            db.update(
                    "INSERT INTO member (member_class, member_code, name, enrolment_token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    member.memberClass(),
                    member.memberCode(),
                    name,
                    enrolmentTokenHash,
                    Database.utc(Instant.now()));
            return bumpDataVersion();
        });
    }

    public void addSubsystem(ClientId subsystem) {
        if (!subsystem.isSubsystem()) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INVALID_IDENTIFIER, subsystem + " is not a subsystem id");
        }
        db.inTransaction(() -> {
            long memberKey = requireMember(subsystem.memberId());
            if (!db.query(
                            "SELECT 1 FROM subsystem WHERE member_id = ? AND code = ?",
                            r -> 1,
                            memberKey,
                            subsystem.subsystemCode())
                    .isEmpty()) {
                throw conflict("subsystem " + subsystem + " already exists");
            }
            db.update("INSERT INTO subsystem (member_id, code) VALUES (?, ?)", memberKey, subsystem.subsystemCode());
            return bumpDataVersion();
        });
    }

    /**
     * Names the subsystem that receives the member's documents, or none when {@code subsystemCode}
     * is null (the member then takes no part in document exchange).
     */
    public void setDocumentSubsystem(ClientId member, String subsystemCode) {
        requireMemberId(member);
        db.inTransaction(() -> {
            long memberKey = requireMember(member);
            if (subsystemCode != null
                    && db.query(
                                    "SELECT 1 FROM subsystem WHERE member_id = ? AND code = ?",
                                    r -> 1,
                                    memberKey,
                                    subsystemCode)
                            .isEmpty()) {
                throw notFound(
                        ErrorCode.NOT_FOUND,
                        "member " + member + " has no subsystem " + subsystemCode + " (add it first)");
            }
            db.update("UPDATE member SET document_subsystem = ? WHERE id = ?", subsystemCode, memberKey);
            return bumpDataVersion();
        });
    }

    /**
     * Members with their subsystems, document subsystem and the encryption certificates of their
     * approved security servers (in the order the servers were first approved).
     */
    public List<GlobalConf.Member> members() {
        return db.query(
                "SELECT id, member_class, member_code, name, document_subsystem FROM member"
                        + " ORDER BY member_class, member_code",
                row -> new GlobalConf.Member(
                        ClientId.member(instance, row.getString("member_class"), row.getString("member_code")),
                        row.getString("name"),
                        db.query(
                                "SELECT code FROM subsystem WHERE member_id = ? ORDER BY code",
                                r -> r.getString("code"),
                                row.getLong("id")),
                        row.getString("document_subsystem"),
                        db.query(
                                "SELECT encryption_cert_pem FROM security_server"
                                        + " WHERE owner_id = ? AND encryption_cert_pem IS NOT NULL ORDER BY id",
                                r -> Certificates.fromPem(r.getString(1)),
                                row.getLong("id"))));
    }

    /** The hash of the member's one-time enrolment token, if it has one. */
    public Optional<String> enrolmentTokenHash(ClientId member) {
        return db.queryOne(
                        "SELECT enrolment_token_hash FROM member WHERE member_class = ? AND member_code = ?",
                        row -> Optional.ofNullable(row.getString(1)),
                        member.memberClass(),
                        member.memberCode())
                .flatMap(o -> o);
    }

    // ---- registration

    /**
     * Records a pending request; a repeated request for the same auth certificate returns the first
     * one. {@code encryptionCert} is null for a request from a version that sent none.
     */
    public Registration submitRegistration(
            SecurityServerId serverId,
            String address,
            X509Certificate authCert,
            X509Certificate signCert,
            X509Certificate encryptionCert) {
        String hash = Certificates.sha256Hex(authCert);
        return db.inTransaction(() -> {
            Optional<Registration> existing = db.queryOne(
                    REGISTRATION_SELECT + " WHERE r.auth_cert_hash = ? ORDER BY r.id DESC", this::registration, hash);
            if (existing.isPresent() && existing.get().state() != Registration.State.REJECTED) {
                return existing.get();
            }
            long owner = requireMember(serverId.owner());
            db.update(
                    "INSERT INTO registration_request (owner_id, server_code, address, auth_cert_hash, auth_cert_pem,"
                            + " sign_cert_pem, encryption_cert_pem, state, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)",
                    owner,
                    serverId.serverCode(),
                    address,
                    hash,
                    Certificates.toPem(authCert),
                    Certificates.toPem(signCert),
                    encryptionCert == null ? null : Certificates.toPem(encryptionCert),
                    Database.utc(Instant.now()));
            return db.queryOne(
                            REGISTRATION_SELECT + " WHERE r.auth_cert_hash = ? ORDER BY r.id DESC",
                            this::registration,
                            hash)
                    .orElseThrow();
        });
    }

    public Optional<Registration> registration(long id) {
        return db.queryOne(REGISTRATION_SELECT + " WHERE r.id = ?", this::registration, id);
    }

    public List<Registration> registrations() {
        return db.query(REGISTRATION_SELECT + " ORDER BY r.id", this::registration);
    }

    /**
     * Approves a pending request: the server and its auth certificate enter the global
     * configuration, and the encryption certificate it carried replaces the server's earlier one.
     */
    public Registration approve(long id) {
        return db.inTransaction(() -> {
            Registration request = requirePending(id);
            long owner = requireMember(request.serverId().owner());
            String authPem = db.queryOne(
                            "SELECT auth_cert_pem FROM registration_request WHERE id = ?", r -> r.getString(1), id)
                    .orElseThrow();
            String encryptionPem = db.queryOne(
                            "SELECT encryption_cert_pem FROM registration_request WHERE id = ?",
                            r -> Optional.ofNullable(r.getString(1)),
                            id)
                    .orElseThrow()
                    .orElse(null);
            Optional<Long> server = db.queryOne(
                    "SELECT id FROM security_server WHERE owner_id = ? AND code = ?",
                    r -> r.getLong(1),
                    owner,
                    request.serverId().serverCode());
            long serverKey;
            if (server.isPresent()) {
                serverKey = server.get();
                db.update(
                        "UPDATE security_server SET address = ?, encryption_cert_pem = ? WHERE id = ?",
                        request.address(),
                        encryptionPem,
                        serverKey);
            } else {
                db.update(
                        "INSERT INTO security_server (owner_id, code, address, encryption_cert_pem) VALUES (?, ?, ?, ?)",
                        owner,
                        request.serverId().serverCode(),
                        request.address(),
                        encryptionPem);
                serverKey = db.queryOne(
                                "SELECT id FROM security_server WHERE owner_id = ? AND code = ?",
                                r -> r.getLong(1),
                                owner,
                                request.serverId().serverCode())
                        .orElseThrow();
            }
            db.update(
                    "INSERT INTO auth_certificate (server_id, cert_hash, cert_pem) VALUES (?, ?, ?)",
                    serverKey,
                    request.authCertHash(),
                    authPem);
            decide(id, Registration.State.APPROVED, null);
            bumpDataVersion();
            return registration(id).orElseThrow();
        });
    }

    public Registration reject(long id, String reason) {
        return db.inTransaction(() -> {
            requirePending(id);
            decide(id, Registration.State.REJECTED, reason);
            return registration(id).orElseThrow();
        });
    }

    public List<GlobalConf.SecurityServer> securityServers() {
        return db.query(
                "SELECT s.id, s.code, s.address, m.member_class, m.member_code FROM security_server s"
                        + " JOIN member m ON m.id = s.owner_id ORDER BY m.member_class, m.member_code, s.code",
                row -> new GlobalConf.SecurityServer(
                        new SecurityServerId(
                                ClientId.member(instance, row.getString("member_class"), row.getString("member_code")),
                                row.getString("code")),
                        row.getString("address"),
                        db.query(
                                "SELECT cert_hash FROM auth_certificate WHERE server_id = ? ORDER BY id",
                                r -> r.getString(1),
                                row.getLong("id"))));
    }

    // ---- trust services and groups

    public void addCertificationAuthority(String name, X509Certificate certificate, String ocspUrl) {
        db.inTransaction(() -> {
            if (!db.query("SELECT 1 FROM certification_authority WHERE name = ?", r -> 1, name)
                    .isEmpty()) {
                throw conflict("certification authority '" + name + "' already exists");
            }
            db.update(
                    "INSERT INTO certification_authority (name, cert_pem, ocsp_url) VALUES (?, ?, ?)",
                    name,
                    Certificates.toPem(certificate),
                    ocspUrl);
            return bumpDataVersion();
        });
    }

    public List<GlobalConf.CertificationAuthority> certificationAuthorities() {
        return db.query(
                "SELECT name, cert_pem, ocsp_url FROM certification_authority ORDER BY id",
                row -> new GlobalConf.CertificationAuthority(
                        row.getString("name"),
                        Certificates.fromPem(row.getString("cert_pem")),
                        row.getString("ocsp_url")));
    }

    /** Points an approved CA at another OCSP responder, e.g. an external one. */
    public void setOcspUrl(String caName, String ocspUrl) {
        db.inTransaction(() -> {
            int changed = db.update("UPDATE certification_authority SET ocsp_url = ? WHERE name = ?", ocspUrl, caName);
            if (changed == 0) {
                throw notFound(ErrorCode.NOT_FOUND, "no certification authority '" + caName + "'");
            }
            return bumpDataVersion();
        });
    }

    public void addTimestampingAuthority(String name, String url, X509Certificate certificate) {
        db.inTransaction(() -> {
            if (!db.query("SELECT 1 FROM timestamping_authority WHERE name = ?", r -> 1, name)
                    .isEmpty()) {
                throw conflict("timestamping authority '" + name + "' already exists");
            }
            db.update(
                    "INSERT INTO timestamping_authority (name, url, cert_pem) VALUES (?, ?, ?)",
                    name,
                    url,
                    Certificates.toPem(certificate));
            return bumpDataVersion();
        });
    }

    public List<GlobalConf.TimestampingAuthority> timestampingAuthorities() {
        return db.query(
                "SELECT name, url, cert_pem FROM timestamping_authority ORDER BY id",
                row -> new GlobalConf.TimestampingAuthority(
                        row.getString("name"), row.getString("url"), Certificates.fromPem(row.getString("cert_pem"))));
    }

    public void addGlobalGroup(GlobalGroupId id, String description) {
        db.inTransaction(() -> {
            db.update("INSERT INTO global_group (code, description) VALUES (?, ?)", id.groupCode(), description);
            return bumpDataVersion();
        });
    }

    public void addGlobalGroupMember(GlobalGroupId id, ClientId client) {
        db.inTransaction(() -> {
            long group = db.queryOne("SELECT id FROM global_group WHERE code = ?", r -> r.getLong(1), id.groupCode())
                    .orElseThrow(() -> notFound(ErrorCode.UNKNOWN_MEMBER, "no global group " + id));
            requireMember(client.memberId());
            db.update("INSERT INTO global_group_member (group_id, client_id) VALUES (?, ?)", group, client.toString());
            return bumpDataVersion();
        });
    }

    public List<GlobalConf.GlobalGroup> globalGroups() {
        return db.query(
                "SELECT id, code, description FROM global_group ORDER BY code",
                row -> new GlobalConf.GlobalGroup(
                        new GlobalGroupId(instance, row.getString("code")),
                        row.getString("description"),
                        db.query(
                                "SELECT client_id FROM global_group_member WHERE group_id = ? ORDER BY client_id",
                                r -> ClientId.parse(r.getString(1)),
                                row.getLong("id"))));
    }

    // ---- certificates of the embedded CA

    public void recordIssued(X509Certificate certificate, String profile) {
        db.update(
                "INSERT INTO issued_certificate (serial_hex, subject, profile, cert_pem, issued_at) VALUES (?, ?, ?, ?, ?)",
                certificate.getSerialNumber().toString(16),
                certificate.getSubjectX500Principal().getName(),
                profile,
                Certificates.toPem(certificate),
                Database.utc(Instant.now()));
    }

    public void revoke(BigInteger serial, int reason) {
        int changed = db.update(
                "UPDATE issued_certificate SET revoked_at = ?, revocation_reason = ? WHERE serial_hex = ? AND revoked_at IS NULL",
                Database.utc(Instant.now()),
                reason,
                serial.toString(16));
        if (changed == 0) {
            throw notFound(
                    ErrorCode.INVALID_CERTIFICATE, "no unrevoked certificate with serial " + serial.toString(16));
        }
    }

    public CertificateStatus certificateStatus(BigInteger serial) {
        return db.queryOne(
                        "SELECT revoked_at, revocation_reason FROM issued_certificate WHERE serial_hex = ?",
                        row -> {
                            Instant revokedAt = Database.instant(row, "revoked_at");
                            return revokedAt == null
                                    ? (CertificateStatus) new CertificateStatus.Good()
                                    : new CertificateStatus.Revoked(revokedAt, row.getInt("revocation_reason"));
                        },
                        serial.toString(16))
                .orElseGet(CertificateStatus.Unknown::new);
    }

    // ---- versions

    public long dataVersion() {
        return db.queryOne("SELECT data_version FROM registry_state WHERE id = 1", r -> r.getLong(1))
                .orElseThrow();
    }

    /** Reserves the next configuration serial; serials only grow, even across restarts. */
    public long nextConfSerial() {
        return db.inTransaction(() -> {
            db.update("UPDATE registry_state SET conf_serial = conf_serial + 1 WHERE id = 1");
            return db.queryOne("SELECT conf_serial FROM registry_state WHERE id = 1", r -> r.getLong(1))
                    .orElseThrow();
        });
    }

    // ---- internals

    private static final String REGISTRATION_SELECT =
            "SELECT r.id, r.server_code, r.address, r.auth_cert_hash, r.state, r.reason, r.created_at, r.decided_at,"
                    + " m.member_class, m.member_code FROM registration_request r JOIN member m ON m.id = r.owner_id";

    private Registration registration(ResultSet row) throws SQLException {
        return new Registration(
                row.getLong("id"),
                new SecurityServerId(
                        ClientId.member(instance, row.getString("member_class"), row.getString("member_code")),
                        row.getString("server_code")),
                row.getString("address"),
                row.getString("auth_cert_hash"),
                Registration.State.valueOf(row.getString("state")),
                row.getString("reason"),
                Database.instant(row, "created_at"),
                Database.instant(row, "decided_at"));
    }

    private Registration requirePending(long id) {
        Registration request = registration(id)
                .orElseThrow(() -> notFound(ErrorCode.UNKNOWN_REQUEST, "no registration request " + id));
        if (request.state() != Registration.State.PENDING) {
            throw new TrucException(
                    Origin.REGISTRY,
                    ErrorCode.INVALID_STATE,
                    "registration request " + id + " is already "
                            + request.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return request;
    }

    private void decide(long id, Registration.State state, String reason) {
        db.update(
                "UPDATE registration_request SET state = ?, reason = ?, decided_at = ? WHERE id = ?",
                state.name(),
                reason,
                Database.utc(Instant.now()),
                id);
    }

    private Optional<Long> memberKey(ClientId member) {
        return db.queryOne(
                "SELECT id FROM member WHERE member_class = ? AND member_code = ?",
                r -> r.getLong(1),
                member.memberClass(),
                member.memberCode());
    }

    private long requireMember(ClientId member) {
        return memberKey(member).orElseThrow(() -> notFound(ErrorCode.UNKNOWN_MEMBER, "no member " + member));
    }

    private void requireMemberId(ClientId member) {
        if (member.isSubsystem()) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INVALID_IDENTIFIER, member + " is a subsystem; a member id has 3 parts");
        }
    }

    private long bumpDataVersion() {
        return db.update("UPDATE registry_state SET data_version = data_version + 1 WHERE id = 1");
    }

    private static TrucException conflict(String message) {
        return new TrucException(Origin.REGISTRY, ErrorCode.ALREADY_EXISTS, message);
    }

    private static TrucException notFound(ErrorCode code, String message) {
        return new TrucException(Origin.REGISTRY, code, message);
    }
}
