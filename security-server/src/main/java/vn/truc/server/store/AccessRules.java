package vn.truc.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.ServiceId;

/**
 * Who may call which local service, and the decision the server proxy asks for on every request.
 * Nothing is allowed unless a rule grants it.
 */
public final class AccessRules {
    private static final String SELECT = "SELECT service_id, subject_kind, subject, granted_at FROM access_rule";

    private final Database db;
    private final ServiceStore services;
    private final LocalGroupStore groups;

    public AccessRules(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.services = new ServiceStore(db);
        this.groups = new LocalGroupStore(db);
    }

    /** Lets {@code subject} call {@code service}; the service and a local group must exist. */
    public AccessRule grant(ServiceId service, AccessSubject subject) {
        Objects.requireNonNull(subject, "subject");
        return db.inTransaction(() -> {
            services.requireService(service);
            if (subject instanceof AccessSubject.LocalGroup group && !groups.exists(group.code())) {
                throw LocalGroupStore.notFound(group.code());
            }
            if (!db.query(
                            "SELECT 1 FROM access_rule WHERE service_id = ? AND subject_kind = ? AND subject = ?",
                            r -> 1,
                            service.toString(),
                            kind(subject),
                            identifier(subject))
                    .isEmpty()) {
                throw new TrucException(
                        Origin.SERVER, ErrorCode.ALREADY_EXISTS, subject + " already has access to " + service);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            db.update(
                    "INSERT INTO access_rule (service_id, subject_kind, subject, granted_at) VALUES (?, ?, ?, ?)",
                    service.toString(),
                    kind(subject),
                    identifier(subject),
                    Database.utc(now));
            return new AccessRule(service, subject, now);
        });
    }

    /** Takes a granted access right back; NOT_FOUND if it was never granted. */
    public void revoke(ServiceId service, AccessSubject subject) {
        int deleted = db.update(
                "DELETE FROM access_rule WHERE service_id = ? AND subject_kind = ? AND subject = ?",
                service.toString(),
                kind(subject),
                identifier(subject));
        if (deleted == 0) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.NOT_FOUND, subject + " has no access right to " + service + " to revoke");
        }
    }

    /** The rules of one service, oldest first; NOT_FOUND if the service does not exist. */
    public List<AccessRule> rules(ServiceId service) {
        services.requireService(service);
        return db.query(SELECT + " WHERE service_id = ? ORDER BY id", AccessRules::rule, service.toString());
    }

    /** Every rule, by service, oldest first. */
    public List<AccessRule> allRules() {
        return db.query(SELECT + " ORDER BY service_id, id", AccessRules::rule);
    }

    /**
     * Whether {@code client} may call {@code service}: a rule names the client, a local group
     * holding it, or a global group of {@code conf} holding it; a group entry for a member holds
     * all of its subsystems. Whether the service is enabled is not part of this decision.
     */
    public boolean isAllowed(ClientId client, ServiceId service, GlobalConf conf) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(conf, "conf");
        List<AccessRule> rules =
                db.query(SELECT + " WHERE service_id = ? ORDER BY id", AccessRules::rule, service.toString());
        if (rules.isEmpty()) {
            return false;
        }
        Set<String> localGroups = groups.groupsContaining(client);
        return rules.stream().anyMatch(r -> matches(r.subject(), client, localGroups, conf));
    }

    /**
     * The services of {@code provider} that {@code client} may call (for {@code allowedMethods}),
     * ordered by id; disabled ones are included, with {@link LocalService#enabled()} false.
     */
    public List<LocalService> allowedServices(ClientId client, ClientId provider, GlobalConf conf) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(conf, "conf");
        Map<ServiceId, List<AccessSubject>> subjects = db
                .query(
                        "SELECT r.service_id, r.subject_kind, r.subject, r.granted_at FROM access_rule r"
                                + " JOIN service s ON s.service_id = r.service_id WHERE s.provider_id = ?",
                        AccessRules::rule,
                        provider.toString())
                .stream()
                .collect(Collectors.groupingBy(
                        AccessRule::service, Collectors.mapping(AccessRule::subject, Collectors.toList())));
        if (subjects.isEmpty()) {
            return List.of();
        }
        Set<String> localGroups = groups.groupsContaining(client);
        return services.servicesOf(provider).stream()
                .filter(s -> subjects.getOrDefault(s.id(), List.of()).stream()
                        .anyMatch(subject -> matches(subject, client, localGroups, conf)))
                .toList();
    }

    private static boolean matches(AccessSubject subject, ClientId client, Set<String> localGroups, GlobalConf conf) {
        if (subject instanceof AccessSubject.Subsystem s) {
            return s.id().equals(client);
        }
        if (subject instanceof AccessSubject.LocalGroup g) {
            return localGroups.contains(g.code());
        }
        GlobalGroupId id = ((AccessSubject.GlobalGroup) subject).id();
        return conf.globalGroups().stream()
                .filter(g -> g.id().equals(id))
                .anyMatch(g -> g.members().contains(client) || g.members().contains(client.memberId()));
    }

    private static String kind(AccessSubject subject) {
        if (subject instanceof AccessSubject.Subsystem) {
            return "SUBSYSTEM";
        }
        return subject instanceof AccessSubject.LocalGroup ? "LOCAL_GROUP" : "GLOBAL_GROUP";
    }

    /** The subject's identifier without its prefix: what the {@code subject} column holds. */
    private static String identifier(AccessSubject subject) {
        if (subject instanceof AccessSubject.Subsystem s) {
            return s.id().toString();
        }
        if (subject instanceof AccessSubject.LocalGroup g) {
            return g.code();
        }
        return ((AccessSubject.GlobalGroup) subject).id().toString();
    }

    private static AccessRule rule(ResultSet row) throws SQLException {
        String subject = row.getString("subject");
        AccessSubject parsed =
                switch (row.getString("subject_kind")) {
                    case "SUBSYSTEM" -> new AccessSubject.Subsystem(ClientId.parse(subject));
                    case "LOCAL_GROUP" -> new AccessSubject.LocalGroup(subject);
                    case "GLOBAL_GROUP" -> new AccessSubject.GlobalGroup(GlobalGroupId.parse(subject));
                    default -> throw new SQLException("unknown subject kind " + row.getString("subject_kind"));
                };
        return new AccessRule(
                ServiceId.parse(row.getString("service_id")), parsed, Database.instant(row, "granted_at"));
    }
}
