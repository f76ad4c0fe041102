package vn.truc.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * The layout of a signed audit export: a DER CMS SignedData whose attached content is a ZIP of
 * {@value #MANIFEST}, {@value #RECORDS} (each line exactly a record's {@link AuditRecord#toBytes()}),
 * {@value #CHAIN} (one {@link ChainLine} per record of the id range), {@code batches/<id>.tsr} and
 * {@code batches/<id>.json} per timestamp batch, {@value #TRUST}, and the logged contents of the
 * records that have one (see {@link LoggedContent}): {@code contents/<sha256>} in the clear when the
 * exporter opened them with the operator's key, else {@code contents/<sha256>.cms} as sealed, with
 * the certificate they are sealed for in {@value #CONTENT_CERTIFICATE}. The exporter writes it and
 * the verifier reads it through this one class, so the two cannot drift apart.
 */
public final class AuditExportFormat {
    /** The format version written into {@value #MANIFEST}. */
    public static final int VERSION = 1;

    public static final String MANIFEST = "export.json";
    public static final String RECORDS = "records.jsonl";
    public static final String CHAIN = "chain.jsonl";
    public static final String TRUST = "trust.pem";
    public static final String BATCHES_DIR = "batches/";
    public static final String CONTENTS_DIR = "contents/";
    public static final String CONTENT_CERTIFICATE = "content-certificate.pem";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditExportFormat() {}

    /** {@code batches/<id>.tsr}: the RFC 3161 TimeStampToken, DER. */
    public static String tokenEntry(long batchId) {
        return BATCHES_DIR + batchId + ".tsr";
    }

    /** {@code contents/<sha256>}: a logged content in the clear, named by its hex SHA-256. */
    public static String contentEntry(String sha256Hex) {
        return CONTENTS_DIR + sha256Hex;
    }

    /** {@code contents/<sha256>.cms}: a logged content as sealed for the operator (DER CMS). */
    public static String sealedContentEntry(String sha256Hex) {
        return CONTENTS_DIR + sha256Hex + ".cms";
    }

    /** {@code batches/<id>.json}: the batch's root and range. */
    public static String batchEntry(long batchId) {
        return BATCHES_DIR + batchId + ".json";
    }

    /**
     * One line of {@value #CHAIN}: a record's place in the hash chain, whether its content is in
     * {@value #RECORDS}, and its timestamp batch and Merkle path (null while not timestamped).
     *
     * @param hash the hash the log stored for the record when it was appended
     */
    public record ChainLine(long id, String prevHash, String hash, Long batch, String path, boolean included) {
        /** Compact JSON, keys in a fixed order. */
        public byte[] toBytes() {
            ObjectNode node = JSON.createObjectNode();
            node.put("id", id);
            node.put("prevHash", prevHash);
            node.put("hash", hash);
            if (batch == null) {
                node.putNull("batch");
                node.putNull("path");
            } else {
                node.put("batch", batch);
                node.put("path", path);
            }
            node.put("included", included);
            return write(node);
        }

        /** Parses one line; anything malformed is an {@code invalid_request} saying what. */
        public static ChainLine parse(byte[] line) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw invalid("not JSON (" + e.getMessage() + ")");
            }
            if (node == null
                    || !node.path("id").isIntegralNumber()
                    || !node.path("prevHash").isTextual()
                    || !node.path("hash").isTextual()
                    || !node.path("included").isBoolean()) {
                throw invalid("expected id, prevHash, hash, batch, path, included in "
                        + new String(line, StandardCharsets.UTF_8));
            }
            JsonNode batch = node.path("batch");
            Long batchId = batch.isIntegralNumber() ? batch.asLong() : null;
            String path = node.path("path").isTextual() ? node.get("path").textValue() : null;
            if (batchId != null && path == null) {
                throw invalid("record " + node.get("id").asLong() + " has a batch but no path");
            }
            return new ChainLine(
                    node.get("id").asLong(),
                    node.get("prevHash").textValue(),
                    node.get("hash").textValue(),
                    batchId,
                    path,
                    node.get("included").asBoolean());
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static TrucException invalid(String what) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, CHAIN + ": " + what);
    }
}
