package vn.truc.core.id;

/** A service of a provider subsystem: {@code VN/GOV/000.00.00.H41/DMS/getDocument[/v1]}. */
public record ServiceId(ClientId provider, String serviceCode, String serviceVersion) {
    private static final String FORM = "INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]";

    public ServiceId {
        if (provider == null || !provider.isSubsystem()) {
            throw IdParts.invalid("service provider", String.valueOf(provider), "a subsystem");
        }
        IdParts.code("service code", serviceCode);
        if (serviceVersion != null) {
            IdParts.code("service version", serviceVersion);
        }
    }

    /** Parses {@code INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]}. */
    public static ServiceId parse(String text) {
        String[] p = IdParts.split(text, "service id", 5, 6, FORM);
        return new ServiceId(new ClientId(p[0], p[1], p[2], p[3]), p[4], p.length == 6 ? p[5] : null);
    }

    @Override
    public String toString() {
        String base = provider + "/" + serviceCode;
        return serviceVersion == null ? base : base + "/" + serviceVersion;
    }
}
