package vn.truc.core.error;

/** Where an error was detected; the string form is stable and travels in faults and logs. */
public enum Origin {
    CLIENT("client"),
    CLIENT_PROXY("server.clientproxy"),
    SERVER_PROXY("server.serverproxy"),
    SERVER("server"),
    REGISTRY("registry"),
    CLI("cli");

    private final String wireName;

    Origin(String wireName) {
        this.wireName = wireName;
    }

    /** The stable name used in faults, JSON errors and logs. */
    public String wireName() {
        return wireName;
    }
}
