package vn.truc.server.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/**
 * Groups of clients this server's administrator defines, to grant a service to many clients at
 * once ({@code local:CODE} in access rules). A member-level entry stands for all its subsystems.
 */
public final class LocalGroupStore {
    private final Database db;

    public LocalGroupStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** A local group and its members. */
    public record Group(String code, String description, List<ClientId> members) {
        public Group {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(description, "description");
            members = List.copyOf(members);
        }
    }

    public void addLocalGroup(String code, String description) {
        AccessSubject.LocalGroup.checkCode(code);
        Objects.requireNonNull(description, "description");
        db.inTransaction(() -> {
            if (groupKey(code).isPresent()) {
                throw new TrucException(
                        Origin.SERVER, ErrorCode.ALREADY_EXISTS, "local group " + code + " already exists");
            }
            return db.update("INSERT INTO local_group (code, description) VALUES (?, ?)", code, description);
        });
    }

    public void addLocalGroupMember(String code, ClientId client) {
        Objects.requireNonNull(client, "client");
        db.inTransaction(() -> {
            long group = groupKey(code).orElseThrow(() -> notFound(code));
            if (!db.query(
                            "SELECT 1 FROM local_group_member WHERE group_id = ? AND client_id = ?",
                            r -> 1,
                            group,
                            client.toString())
                    .isEmpty()) {
                throw new TrucException(
                        Origin.SERVER,
                        ErrorCode.ALREADY_EXISTS,
                        client + " is already a member of local group " + code);
            }
            return db.update(
                    "INSERT INTO local_group_member (group_id, client_id) VALUES (?, ?)", group, client.toString());
        });
    }

    /** Every local group with its members, ordered by code. */
    public List<Group> localGroups() {
        return db.query(
                "SELECT id, code, description FROM local_group ORDER BY code",
                row -> new Group(
                        row.getString("code"),
                        row.getString("description"),
                        db.query(
                                "SELECT client_id FROM local_group_member WHERE group_id = ? ORDER BY client_id",
                                r -> ClientId.parse(r.getString(1)),
                                row.getLong("id"))));
    }

    boolean exists(String code) {
        return groupKey(code).isPresent();
    }

    /** Codes of the groups that hold {@code client} itself or, for a subsystem, its member. */
    Set<String> groupsContaining(ClientId client) {
        return new HashSet<>(db.query(
                "SELECT DISTINCT g.code FROM local_group g JOIN local_group_member m ON m.group_id = g.id"
                        + " WHERE m.client_id = ? OR m.client_id = ?",
                r -> r.getString(1),
                client.toString(),
                client.memberId().toString()));
    }

    static TrucException notFound(String code) {
        return new TrucException(
                Origin.SERVER,
                ErrorCode.NOT_FOUND,
                "no local group " + code + " on this security server (add it first)");
    }

    private Optional<Long> groupKey(String code) {
        return db.queryOne("SELECT id FROM local_group WHERE code = ?", r -> r.getLong(1), code);
    }
}
