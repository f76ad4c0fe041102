package vn.truc.server.store;

import java.util.Objects;
import java.util.regex.Pattern;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;

/**
 * Who an access rule lets in: one subsystem, a group this server defines, or a group the central
 * registry publishes. Written {@code VN/GOV/000.00.00.G22/DMS}, {@code local:CODE} and {@code
 * global:VN/CODE}; {@link #parse} reads what {@code toString()} writes.
 */
public sealed interface AccessSubject
        permits AccessSubject.Subsystem, AccessSubject.LocalGroup, AccessSubject.GlobalGroup {
    String LOCAL_PREFIX = "local:";
    String GLOBAL_PREFIX = "global:";

    /** Parses a subsystem id, {@code local:CODE} or {@code global:INSTANCE/GROUP}. */
    static AccessSubject parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text);
        }
        if (text.startsWith(LOCAL_PREFIX)) {
            return new LocalGroup(text.substring(LOCAL_PREFIX.length()));
        }
        if (text.startsWith(GLOBAL_PREFIX)) {
            return new GlobalGroup(GlobalGroupId.parse(text.substring(GLOBAL_PREFIX.length())));
        }
        if (text.indexOf(':') >= 0 || text.split("/", -1).length != 4) {
            throw invalid(text);
        }
        return new Subsystem(ClientId.parseSubsystem(text));
    }

    private static TrucException invalid(String text) {
        return new TrucException(
                Origin.CLIENT,
                ErrorCode.INVALID_IDENTIFIER,
                "access subject: '" + text + "' (expected: a subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM,"
                        + " local:GROUP for a local group or global:INSTANCE/GROUP for a global group)");
    }

    /** One subsystem, e.g. {@code VN/GOV/000.00.00.G22/DMS}. */
    record Subsystem(ClientId id) implements AccessSubject {
        public Subsystem {
            if (id == null || !id.isSubsystem()) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.INVALID_IDENTIFIER,
                        "access subject: '" + id + "' (expected: a subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM)");
            }
        }

        @Override
        public String toString() {
            return id.toString();
        }
    }

    /** A group of clients defined on this security server, by its code. */
    record LocalGroup(String code) implements AccessSubject {
        private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        public LocalGroup {
            checkCode(code);
        }

        /** Validates a local group code: the same shape as other codes in identifiers. */
        static String checkCode(String code) {
            if (code == null || !CODE.matcher(code).matches()) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.INVALID_IDENTIFIER,
                        "local group code: '" + code
                                + "' (expected: 1-64 characters A-Z a-z 0-9 . _ -, starting with a letter or digit)");
            }
            return code;
        }

        @Override
        public String toString() {
            return LOCAL_PREFIX + code;
        }
    }

    /** A federation-wide group from the global configuration, e.g. {@code VN/provinces}. */
    record GlobalGroup(GlobalGroupId id) implements AccessSubject {
        public GlobalGroup {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return GLOBAL_PREFIX + id;
        }
    }
}
