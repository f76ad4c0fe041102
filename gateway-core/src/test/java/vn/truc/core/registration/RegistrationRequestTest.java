package vn.truc.core.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.testing.TestPki;

class RegistrationRequestTest {
    private final TestPki pki = TestPki.newCa("Test CA");
    private final SecurityServerId server = SecurityServerId.parse("VN/GOV/000.00.00.G22/ss1");
    private final KeyAndChain auth = pki.issue(server.toString(), CertificateProfile.AUTH);
    private final KeyAndChain sign = pki.issue(server.owner().toString(), CertificateProfile.SIGN);
    private final KeyAndChain encryption = pki.issue(server.owner().toString(), CertificateProfile.ENCRYPTION);

    @Test
    void roundTripsASignedRequest() {
        RegistrationRequest request = new RegistrationRequest(
                server,
                "127.0.0.1:5500",
                auth.certificate(),
                sign.certificate(),
                encryption.certificate(),
                Instant.now());
        RegistrationRequest read =
                RegistrationRequest.fromSignedJson(request.toSignedJson(auth.privateKey(), sign.privateKey()));
        assertThat(read).isEqualTo(request);
    }

    @Test
    void readsARequestOfAnOlderVersionWithoutAnEncryptionCertificate() {
        RegistrationRequest older = new RegistrationRequest(
                server, "127.0.0.1:5500", auth.certificate(), sign.certificate(), null, Instant.now());
        RegistrationRequest read =
                RegistrationRequest.fromSignedJson(older.toSignedJson(auth.privateKey(), sign.privateKey()));
        assertThat(read.encryptionCertificate()).isNull();
        assertThat(read).isEqualTo(older);
    }

    @Test
    void refusesASwappedEncryptionCertificate() throws Exception {
        RegistrationRequest request = new RegistrationRequest(
                server,
                "127.0.0.1:5500",
                auth.certificate(),
                sign.certificate(),
                encryption.certificate(),
                Instant.now());
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(request.toSignedJson(auth.privateKey(), sign.privateKey()));
        ObjectNode payload = (ObjectNode)
                json.readTree(Base64.getDecoder().decode(envelope.get("payload").asText()));
        assertThat(payload.get("encryptionCertificate").asText())
                .isEqualTo(Certificates.toPem(encryption.certificate()));
        KeyAndChain theirs = pki.issue(server.owner().toString(), CertificateProfile.ENCRYPTION);
        payload.put("encryptionCertificate", Certificates.toPem(theirs.certificate()));
        envelope.put("payload", Base64.getEncoder().encodeToString(json.writeValueAsBytes(payload)));
        assertThatThrownBy(() -> RegistrationRequest.fromSignedJson(json.writeValueAsBytes(envelope)))
                .hasMessageContaining("does not verify");
    }

    @Test
    void refusesRequestWithoutProofOfTheAuthKey() {
        RegistrationRequest request = new RegistrationRequest(
                server,
                "127.0.0.1:5500",
                auth.certificate(),
                sign.certificate(),
                encryption.certificate(),
                Instant.now());
        byte[] json = request.toSignedJson(sign.privateKey(), sign.privateKey());
        assertThatThrownBy(() -> RegistrationRequest.fromSignedJson(json))
                .hasMessageContaining("no proof of possession");
    }

    @Test
    void refusesChangedPayload() throws Exception {
        RegistrationRequest request = new RegistrationRequest(
                server,
                "127.0.0.1:5500",
                auth.certificate(),
                sign.certificate(),
                encryption.certificate(),
                Instant.now());
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(request.toSignedJson(auth.privateKey(), sign.privateKey()));
        String payload =
                new String(Base64.getDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8);
        envelope.put(
                "payload",
                Base64.getEncoder()
                        .encodeToString(payload.replace("127.0.0.1:5500", "10.6.6.6:5500")
                                .getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> RegistrationRequest.fromSignedJson(json.writeValueAsBytes(envelope)))
                .hasMessageContaining("does not verify");
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> RegistrationRequest.fromSignedJson("{not json".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("registration request is not valid");
    }
}
