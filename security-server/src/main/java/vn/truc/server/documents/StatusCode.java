package vn.truc.server.documents;

import java.util.Arrays;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** An edXML {@code StatusCode}: what happened to a document at the other side. */
public enum StatusCode {
    /** Arrived at the recipient's DMS, not yet handled. */
    ARRIVED("01"),
    REFUSED("02"),
    /** Accepted and registered. */
    ACCEPTED("03"),
    /** Assigned for handling. */
    ASSIGNED("04"),
    IN_PROGRESS("05"),
    DONE("06"),
    /** The sender asks for the document back, with a reason. */
    RECALL_REQUESTED("13"),
    /** The recipient agrees to the update or recall. */
    CHANGE_AGREED("15"),
    /** The recipient refuses the update or recall. */
    CHANGE_REFUSED("16");

    private final String code;

    StatusCode(String code) {
        this.code = code;
    }

    /** The two digits written in {@code StatusCode}. */
    public String code() {
        return code;
    }

    /** The status written as {@code code}. */
    public static StatusCode of(String code) {
        return Arrays.stream(values())
                .filter(s -> s.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new TrucException(
                        Origin.SERVER,
                        ErrorCode.INVALID_REQUEST,
                        "status code: " + code + " (expected: 01-06, 13, 15 or 16)"));
    }
}
