package vn.truc.core.edxml;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes base64 text chunk by chunk to count and hash the bytes it stands for, never holding them
 * all. Strict: only the base64 alphabet and XML whitespace, padding only at the very end.
 */
final class Base64Digest {
    /** Encoded characters decoded at once; a multiple of 4 so that no group straddles two chunks. */
    static final int CHUNK = 16 * 1024;

    /** The decoded size and the base64 SHA-256 of the decoded bytes. */
    record Result(long size, String sha256Base64) {}

    private final MessageDigest sha256 = newSha256();
    private final byte[] in = new byte[CHUNK];
    private final byte[] out = new byte[CHUNK / 4 * 3];
    private int pending;
    private long size;

    private Base64Digest() {}

    /**
     * Decodes {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, when {@code text} is not valid base64
     */
    static Result of(CharSequence text) {
        Base64Digest digest = new Base64Digest();
        long data = 0;
        int padding = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            if (c == '=') {
                if (++padding > 2) {
                    throw new IllegalArgumentException("too much padding at offset " + i);
                }
            } else if (padding > 0) {
                throw new IllegalArgumentException("data after padding at offset " + i);
            } else if (!isAlphabet(c)) {
                throw new IllegalArgumentException("illegal character U+%04X at offset %d".formatted((int) c, i));
            } else {
                data++;
            }
            digest.add((byte) c);
        }
        // A last group of 2 or 3 characters may be padded to 4, exactly; a last group of 1 is never valid.
        if (data % 4 == 1 || (padding > 0 && (data + padding) % 4 != 0)) {
            throw new IllegalArgumentException("incomplete last group of " + (data % 4) + " characters");
        }
        digest.flush();
        return new Result(digest.size, Base64.getEncoder().encodeToString(digest.sha256.digest()));
    }

    private void add(byte b) {
        in[pending++] = b;
        if (pending == CHUNK) {
            flush();
        }
    }

    private void flush() {
        if (pending == 0) {
            return;
        }
        byte[] src = pending == CHUNK ? in : Arrays.copyOf(in, pending);
        int n = Base64.getDecoder().decode(src, out);
        sha256.update(out, 0, n);
        size += n;
        pending = 0;
    }

    private static boolean isAlphabet(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
