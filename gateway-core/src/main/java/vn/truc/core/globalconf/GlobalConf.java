package vn.truc.core.globalconf;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.SecurityServerId;

/**
 * The federation's shared truth as the central registry signed it: who the members are, where
 * their security servers are and which auth certificates they hold, which CAs, OCSP responders and
 * TSAs are trusted. Valid only until {@link #expiresAt()}.
 */
public record GlobalConf(
        String instance,
        long serial,
        Instant generatedAt,
        Instant expiresAt,
        List<Member> members,
        List<SecurityServer> securityServers,
        List<CertificationAuthority> certificationAuthorities,
        List<TimestampingAuthority> timestampingAuthorities,
        List<GlobalGroup> globalGroups) {

    public GlobalConf {
        members = List.copyOf(members);
        securityServers = List.copyOf(securityServers);
        certificationAuthorities = List.copyOf(certificationAuthorities);
        timestampingAuthorities = List.copyOf(timestampingAuthorities);
        globalGroups = List.copyOf(globalGroups);
    }

    /**
     * A member agency and its subsystems.
     *
     * @param documentSubsystem the subsystem that receives the member's official documents, or null
     *     when the member takes no part in document exchange
     * @param encryptionCertificates the certificates documents for this member are encrypted to, one
     *     per registered security server that published one
     */
    public record Member(
            ClientId id,
            String name,
            List<String> subsystems,
            String documentSubsystem,
            List<X509Certificate> encryptionCertificates) {
        public Member {
            subsystems = List.copyOf(subsystems);
            encryptionCertificates = List.copyOf(encryptionCertificates);
            if (documentSubsystem != null && !subsystems.contains(documentSubsystem)) {
                throw new IllegalArgumentException(
                        "document subsystem " + documentSubsystem + " is not a subsystem of " + id);
            }
        }

        /** A member that takes no part in document exchange. */
        public Member(ClientId id, String name, List<String> subsystems) {
            this(id, name, subsystems, null, List.of());
        }

        /** Whether documents can be sent to this member: it names a subsystem and an encryption key. */
        public boolean acceptsDocuments() {
            return documentSubsystem != null && !encryptionCertificates.isEmpty();
        }
    }

    /** A registered security server: owner, address ({@code host:port}) and auth-certificate hashes. */
    public record SecurityServer(SecurityServerId id, String address, List<String> authCertHashes) {
        public SecurityServer {
            authCertHashes = List.copyOf(authCertHashes);
        }
    }

    /** An approved CA and the OCSP responder that answers for its certificates. */
    public record CertificationAuthority(String name, X509Certificate certificate, String ocspUrl) {}

    /** An approved RFC 3161 timestamping authority. */
    public record TimestampingAuthority(String name, String url, X509Certificate certificate) {}

    /** A federation-wide group of clients, usable in access rules. */
    public record GlobalGroup(GlobalGroupId id, String description, List<ClientId> members) {
        public GlobalGroup {
            members = List.copyOf(members);
        }
    }

    public boolean isExpiredAt(Instant when) {
        return !when.isBefore(expiresAt);
    }

    public Optional<Member> member(ClientId id) {
        ClientId memberId = id.memberId();
        return members.stream().filter(m -> m.id().equals(memberId)).findFirst();
    }

    public Optional<SecurityServer> securityServer(SecurityServerId id) {
        return securityServers.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
