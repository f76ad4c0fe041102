package vn.truc.core.id;

import java.util.Objects;

/**
 * A member ({@code VN/GOV/000.00.00.G22}) or one of its subsystems ({@code
 * VN/GOV/000.00.00.G22/DMS}): the party that sends or provides a message.
 */
public record ClientId(String instance, String memberClass, String memberCode, String subsystemCode) {
    private static final String FORM = "INSTANCE/CLASS/MEMBER or INSTANCE/CLASS/MEMBER/SUBSYSTEM";

    public ClientId {
        IdParts.instance(instance);
        IdParts.memberClass(memberClass);
        IdParts.memberCode(memberCode);
        if (subsystemCode != null) {
            IdParts.code("subsystem code", subsystemCode);
        }
    }

    /** A member, without subsystem. */
    public static ClientId member(String instance, String memberClass, String memberCode) {
        return new ClientId(instance, memberClass, memberCode, null);
    }

    /** Parses {@code INSTANCE/CLASS/MEMBER[/SUBSYSTEM]}. */
    public static ClientId parse(String text) {
        String[] p = IdParts.split(text, "client id", 3, 4, FORM);
        return new ClientId(p[0], p[1], p[2], p.length == 4 ? p[3] : null);
    }

    /** Parses an identifier that must name a member, not a subsystem. */
    public static ClientId parseMember(String text) {
        String[] p = IdParts.split(text, "member id", 3, 3, "INSTANCE/CLASS/MEMBER");
        return member(p[0], p[1], p[2]);
    }

    /** Parses an identifier that must name a subsystem. */
    public static ClientId parseSubsystem(String text) {
        String[] p = IdParts.split(text, "subsystem id", 4, 4, "INSTANCE/CLASS/MEMBER/SUBSYSTEM");
        return new ClientId(p[0], p[1], p[2], p[3]);
    }

    public boolean isSubsystem() {
        return subsystemCode != null;
    }

    /** The member this client belongs to (itself when it is a member). */
    public ClientId memberId() {
        return isSubsystem() ? member(instance, memberClass, memberCode) : this;
    }

    /** The subsystem {@code code} of this member. */
    public ClientId subsystem(String code) {
        return new ClientId(instance, memberClass, memberCode, Objects.requireNonNull(code));
    }

    @Override
    public String toString() {
        String member = instance + "/" + memberClass + "/" + memberCode;
        return isSubsystem() ? member + "/" + subsystemCode : member;
    }
}
