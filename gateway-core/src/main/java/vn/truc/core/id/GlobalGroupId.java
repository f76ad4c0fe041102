package vn.truc.core.id;

/** A federation-wide group of clients: {@code VN/provinces}. */
public record GlobalGroupId(String instance, String groupCode) {
    public GlobalGroupId {
        IdParts.instance(instance);
        IdParts.code("global group code", groupCode);
    }

    /** Parses {@code INSTANCE/GROUP}. */
    public static GlobalGroupId parse(String text) {
        String[] p = IdParts.split(text, "global group id", 2, 2, "INSTANCE/GROUP");
        return new GlobalGroupId(p[0], p[1]);
    }

    @Override
    public String toString() {
        return instance + "/" + groupCode;
    }
}
