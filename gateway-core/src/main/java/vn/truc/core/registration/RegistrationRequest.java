package vn.truc.core.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Signatures;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.SecurityServerId;

/**
 * A security server's request to be registered: its identity, address, auth certificate and the
 * owner member's document-encryption certificate, signed twice over the same payload — by the
 * auth key (proof that the server holds it) and by the owner member's sign key (the owner vouches
 * for the server and for the key documents to it are encrypted to).
 *
 * <p>Wire form, JSON: {@code {"payload": base64(JSON), "authSignature": base64, "signCertificate":
 * PEM, "signSignature": base64}}. The payload carries the auth and encryption certificates and
 * names the sign certificate by hash, so neither signature can be moved to another request and
 * no certificate can be swapped.
 *
 * @param encryptionCertificate the member's document-encryption certificate; this version always
 *     sends one, and it is null only in a request made by an older version, which had none
 */
public record RegistrationRequest(
        SecurityServerId serverId,
        String address,
        X509Certificate authCertificate,
        X509Certificate signCertificate,
        X509Certificate encryptionCertificate,
        Instant requestedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The signed envelope, ready to POST. */
    public byte[] toSignedJson(PrivateKey authKey, PrivateKey signKey) {
        byte[] payload = payload();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.put("authSignature", Base64.getEncoder().encodeToString(Signatures.sign(authKey, payload)));
        envelope.put("signCertificate", Certificates.toPem(signCertificate));
        envelope.put("signSignature", Base64.getEncoder().encodeToString(Signatures.sign(signKey, payload)));
        return write(envelope);
    }

    /**
     * Parses an envelope and checks both signatures. Whether the certificates are trusted and
     * belong to the claimed server and owner is for the registry to decide.
     */
    public static RegistrationRequest fromSignedJson(byte[] json) {
        try {
            JsonNode envelope = JSON.readTree(json);
            byte[] payload = Base64.getDecoder().decode(text(envelope, "payload"));
            JsonNode body = JSON.readTree(payload);
            X509Certificate authCert = Certificates.fromPem(text(body, "authCertificate"));
            X509Certificate signCert = Certificates.fromPem(text(envelope, "signCertificate"));
            if (!Certificates.sha256Hex(signCert).equals(text(body, "signCertificateHash"))) {
                throw invalid(
                        ErrorCode.INVALID_SIGNATURE, "sign certificate does not match the one named in the payload");
            }
            if (!Signatures.verify(authCert.getPublicKey(), payload, decode(envelope, "authSignature"))) {
                throw invalid(
                        ErrorCode.INVALID_SIGNATURE,
                        "auth signature does not verify: no proof of possession of the auth key");
            }
            if (!Signatures.verify(signCert.getPublicKey(), payload, decode(envelope, "signSignature"))) {
                throw invalid(
                        ErrorCode.INVALID_SIGNATURE, "owner's signature does not verify with the sign certificate");
            }
            return new RegistrationRequest(
                    SecurityServerId.parse(text(body, "serverId")),
                    text(body, "address"),
                    authCert,
                    signCert,
                    body.has("encryptionCertificate")
                            ? Certificates.fromPem(text(body, "encryptionCertificate"))
                            : null,
                    Instant.parse(text(body, "requestedAt")));
        } catch (IOException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw invalid(ErrorCode.INVALID_REQUEST, "registration request is not valid: " + e.getMessage());
        }
    }

    byte[] payload() {
        ObjectNode body = JSON.createObjectNode();
        body.put("serverId", serverId.toString());
        body.put("address", address);
        body.put("authCertificate", Certificates.toPem(authCertificate));
        body.put("signCertificateHash", Certificates.sha256Hex(signCertificate));
        if (encryptionCertificate != null) {
            body.put("encryptionCertificate", Certificates.toPem(encryptionCertificate));
        }
        body.put("requestedAt", requestedAt.toString());
        return write(body);
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(ErrorCode.INVALID_REQUEST, "registration request lacks '" + field + "'");
        }
        return value.asText();
    }

    private static byte[] decode(JsonNode node, String field) {
        return Base64.getDecoder().decode(text(node, field));
    }

    private static TrucException invalid(ErrorCode code, String message) {
        return new TrucException(Origin.CLIENT, code, message);
    }
}
