package vn.truc.core.id;

import java.util.regex.Pattern;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** Validation of the parts every identifier is made of; one message format for all. */
final class IdParts {
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern MEMBER_CLASS = Pattern.compile("[A-Z][A-Z0-9_]{0,15}");
    /**
     * Agency codes: the 13-character form VVV.ZZ.YY.XNN and the Decision 20/2020 form, up to 35
     * characters of 0-9, A-Z and dots, in dot-separated groups.
     */
    private static final Pattern MEMBER_CODE = Pattern.compile("[0-9A-Z]+(\\.[0-9A-Z]+)*");

    private static final int MEMBER_CODE_MAX = 35;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private IdParts() {}

    static String instance(String value) {
        return check("instance", value, INSTANCE, "1-32 characters A-Z a-z 0-9 _ -, e.g. VN");
    }

    static String memberClass(String value) {
        return check("member class", value, MEMBER_CLASS, "1-16 upper-case letters, digits or _, e.g. GOV");
    }

    static String memberCode(String value) {
        String expected = "an agency code of up to 35 characters 0-9 A-Z in dot-separated groups, e.g. 000.00.00.G22";
        if (value != null && value.length() > MEMBER_CODE_MAX) {
            throw invalid("member code", value, expected);
        }
        return check("member code", value, MEMBER_CODE, expected);
    }

    static String code(String what, String value) {
        return check(what, value, CODE, "1-64 characters A-Z a-z 0-9 . _ -, starting with a letter or digit");
    }

    private static String check(String what, String value, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw invalid(what, value, expected);
        }
        return value;
    }

    static TrucException invalid(String what, String value, String expected) {
        return new TrucException(
                Origin.CLIENT, ErrorCode.INVALID_IDENTIFIER, what + ": '" + value + "' (expected: " + expected + ")");
    }

    static String[] split(String text, String what, int min, int max, String form) {
        if (text == null || text.isEmpty()) {
            throw invalid(what, text, form);
        }
        String[] parts = text.split("/", -1);
        if (parts.length < min || parts.length > max) {
            throw invalid(what, text, form);
        }
        return parts;
    }
}
