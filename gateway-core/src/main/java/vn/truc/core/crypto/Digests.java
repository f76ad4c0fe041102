package vn.truc.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 digests, printed as lower-case hex, and the base64 form signed documents carry. */
public final class Digests {
    private Digests() {}

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /**
     * Whether {@code value} is a SHA-256 digest in standard base64, in its one canonical spelling
     * (44 characters with padding): the form signed manifests and receipts carry digests in.
     */
    public static boolean isSha256Base64(String value) {
        if (value == null) {
            return false;
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // the decoder tolerates missing padding; only the one canonical spelling is accepted
        return digest.length == 32 && Base64.getEncoder().encodeToString(digest).equals(value);
    }
}
