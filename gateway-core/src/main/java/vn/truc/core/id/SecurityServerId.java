package vn.truc.core.id;

/** A security server, named by its owner member and a code: {@code VN/GOV/000.00.00.G22/ss1}. */
public record SecurityServerId(ClientId owner, String serverCode) {
    public SecurityServerId {
        if (owner == null || owner.isSubsystem()) {
            throw IdParts.invalid("server owner", String.valueOf(owner), "a member, not a subsystem");
        }
        IdParts.code("server code", serverCode);
    }

    /** Parses {@code INSTANCE/CLASS/MEMBER/SERVER}. */
    public static SecurityServerId parse(String text) {
        String[] p = IdParts.split(text, "security server id", 4, 4, "INSTANCE/CLASS/MEMBER/SERVER");
        return new SecurityServerId(ClientId.member(p[0], p[1], p[2]), p[3]);
    }

    public String instance() {
        return owner.instance();
    }

    @Override
    public String toString() {
        return owner + "/" + serverCode;
    }
}
