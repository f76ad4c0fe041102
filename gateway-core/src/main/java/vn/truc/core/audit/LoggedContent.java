package vn.truc.core.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.document.DocumentEncryption;
import vn.truc.core.document.DocumentManifest;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.BodyDigest;

/**
 * The content of a logged message, kept beside the log for subsystems that log it in full. It is
 * sealed for the operator's content certificate (CMS AuthEnvelopedData, AES-256-GCM, the same
 * envelope as documents) and named by the hex SHA-256 of its plaintext, a digest the record
 * already commits to: a request's or response's {@code bodyDigest}, a document's or status's
 * {@code plaintextDigest} in its signed manifest. So the same content is kept once however many
 * records name it, and an auditor checks it against the record, not against the file.
 */
public final class LoggedContent {
    private static final HexFormat HEX = HexFormat.of();

    private LoggedContent() {}

    /**
     * Hex SHA-256 of the content {@code record} describes, or null for a kind whose record is its
     * own content (a receipt: its bytes are the record's manifest).
     */
    public static String digestHex(AuditRecord record) {
        return digestHex(record.kind(), record.bodyDigest(), record.manifest());
    }

    /** As {@link #digestHex(AuditRecord)}, from a record's kind, body digest and signed manifest. */
    public static String digestHex(String kind, String bodyDigest, String manifest) {
        String base64 =
                switch (kind) {
                    case "REQUEST", "RESPONSE" -> bodyDigest;
                    case "DOCUMENT", "STATUS" ->
                        manifest == null
                                ? null
                                : DocumentManifest.fromBytes(manifest.getBytes(StandardCharsets.UTF_8))
                                        .plaintextDigest();
                    default -> null;
                };
        return base64 == null ? null : hex(base64);
    }

    /** A base64 digest (as records and manifests carry it) in hex (as contents are named). */
    public static String hex(String base64Digest) {
        return HEX.formatHex(Base64.getDecoder().decode(base64Digest));
    }

    /**
     * Seals {@code plaintext} for {@code operator} into {@code out} (which stays open) and checks
     * on the way that it is the content named {@code expectedHex}.
     *
     * @throws TrucException {@code internal_error} if the plaintext is not the content expected
     */
    public static void seal(InputStream plaintext, OutputStream out, X509Certificate operator, String expectedHex)
            throws IOException {
        BodyDigest digest = new BodyDigest();
        DocumentEncryption.encrypt(new Tee(plaintext, digest), out, List.of(operator));
        String actual = hex(digest.value());
        if (!actual.equals(expectedHex)) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INTERNAL_ERROR,
                    "content to log has SHA-256 " + actual + ", not " + expectedHex + " as its record says");
        }
    }

    /**
     * Opens sealed content with the operator's key into {@code plaintext} (which stays open) and
     * returns the hex SHA-256 of what it wrote.
     *
     * @throws TrucException {@code invalid_request} if it is not sealed for that key or was changed
     */
    public static String open(InputStream sealed, OutputStream plaintext, KeyAndChain operatorKey) throws IOException {
        BodyDigest digest = new BodyDigest(plaintext);
        DocumentEncryption.decrypt(sealed, digest, operatorKey);
        digest.flush();
        return hex(digest.value());
    }

    /** Hands on what it reads and feeds it to a digest. */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            this.in = in;
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }
    }
}
