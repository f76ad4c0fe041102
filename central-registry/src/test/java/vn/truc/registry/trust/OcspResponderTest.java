package vn.truc.registry.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;

class OcspResponderTest {
    private static final Duration VALIDITY = Duration.ofMinutes(10);
    private static final Instant REVOKED_AT = Instant.parse("2025-01-02T03:04:05Z");
    private static final int KEY_COMPROMISE = 1;

    @TempDir
    Path dir;

    private OpenSsl openssl;
    private TestPki pki;
    private KeyAndChain responderKey;
    private OcspResponder responder;

    @BeforeEach
    void createPki() {
        openssl = new OpenSsl(dir);
        pki = TestPki.create("Test CA");
        responderKey = pki.issue("Test OCSP Responder", CertificateProfile.OCSP);
        KeyAndChain good = pki.issue("Good Member", CertificateProfile.SIGN);
        KeyAndChain revoked = pki.issue("Revoked Member", CertificateProfile.SIGN);
        Map<BigInteger, CertificateStatus> statuses = Map.of(
                good.certificate().getSerialNumber(), new CertificateStatus.Good(),
                revoked.certificate().getSerialNumber(), new CertificateStatus.Revoked(REVOKED_AT, KEY_COMPROMISE));
        responder = new OcspResponder(
                responderKey,
                pki.caCertificate(),
                serial -> statuses.getOrDefault(serial, new CertificateStatus.Unknown()),
                VALIDITY);
        TestPki.writePem(dir.resolve("ca.pem"), pki.caCertificate());
        TestPki.writePem(dir.resolve("responder.pem"), responderKey.certificate());
        TestPki.writePem(dir.resolve("good.pem"), good.certificate());
        TestPki.writePem(dir.resolve("revoked.pem"), revoked.certificate());
        TestPki.writePem(
                dir.resolve("stranger.pem"),
                pki.issue("Not Ours", CertificateProfile.SIGN).certificate());
    }

    @Test
    void answersGoodForACertificateInGoodStanding() throws IOException {
        answer("ca.pem", "good.pem", "-no_nonce");

        OpenSsl.Result result = check("ca.pem", "good.pem");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Response verify OK", "good.pem: good", "Next Update:");
    }

    @Test
    void answersRevokedWithTimeAndReason() throws IOException {
        answer("ca.pem", "revoked.pem", "-no_nonce");

        OpenSsl.Result result = check("ca.pem", "revoked.pem");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output())
                .contains("Response verify OK", "revoked.pem: revoked")
                .contains("Reason: keyCompromise")
                .contains("Revocation Time: Jan  2 03:04:05 2025 GMT");
    }

    @Test
    void answersUnknownWhenTheSourceDoesNotKnowTheSerial() throws IOException {
        answer("ca.pem", "stranger.pem", "-no_nonce");

        OpenSsl.Result result = check("ca.pem", "stranger.pem");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Response verify OK", "stranger.pem: unknown");
    }

    @Test
    void answersUnknownForACertificateOfAnotherCa() throws IOException {
        TestPki other = TestPki.create("Other CA");
        TestPki.writePem(dir.resolve("other-ca.pem"), other.caCertificate());
        TestPki.writePem(
                dir.resolve("other.pem"),
                other.issue("Other Member", CertificateProfile.SIGN).certificate());
        answer("other-ca.pem", "other.pem", "-no_nonce");

        OpenSsl.Result result = openssl.run(
                "ocsp",
                "-respin",
                "resp.der",
                "-issuer",
                "other-ca.pem",
                "-cert",
                "other.pem",
                "-CAfile",
                "ca.pem",
                "-VAfile",
                "responder.pem",
                "-no_nonce");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Response verify OK", "other.pem: unknown");
    }

    @Test
    void echoesTheRequestNonce() throws Exception {
        byte[] response = answer("ca.pem", "good.pem");

        OpenSsl.Result result = openssl.run("ocsp", "-reqin", "req.der", "-respin", "resp.der", "-CAfile", "ca.pem");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Response verify OK").doesNotContain("WARNING", "Nonce");
        OCSPReq request = new OCSPReq(Files.readAllBytes(dir.resolve("req.der")));
        assertThat(basic(response).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce))
                .isNotNull()
                .isEqualTo(request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
    }

    @Test
    void namesItselfByKeyHashAndIsValidForTheConfiguredDuration() throws Exception {
        BasicOCSPResp basic = basic(answer("ca.pem", "good.pem", "-no_nonce"));

        SingleResp single = basic.getResponses()[0];
        ResponderID id = basic.getResponderId().toASN1Primitive();
        assertThat(id.getKeyHash()).isNotNull();
        assertThat(single.getNextUpdate().getTime() - single.getThisUpdate().getTime())
                .isEqualTo(VALIDITY.toMillis());
        assertThat(basic.getProducedAt()).isEqualTo(single.getThisUpdate());
        assertThat(basic.getCerts()).hasSize(1);
        assertThat(basic.getCerts()[0].getEncoded())
                .isEqualTo(responderKey.certificate().getEncoded());
    }

    @Test
    void signsWithAnEcResponderKey() throws IOException {
        KeyAndChain ecKey = pki.issue("EC Responder", CertificateProfile.OCSP, KeyAlgorithm.EC);
        responder = new OcspResponder(ecKey, pki.caCertificate(), serial -> new CertificateStatus.Good(), VALIDITY);
        answer("ca.pem", "good.pem", "-no_nonce");

        OpenSsl.Result result = check("ca.pem", "good.pem");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Response verify OK", "good.pem: good");
    }

    @Test
    void answersMalformedRequestToGarbage() throws IOException {
        byte[] response = responder.respond("not an OCSP request".getBytes());

        assertThat(new OCSPResp(response).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void refusesAResponderCertificateThatIsNotForOcspSigning() {
        KeyAndChain signer = pki.issue("Just A Member", CertificateProfile.SIGN);

        assertThatThrownBy(() -> new OcspResponder(
                        signer, pki.caCertificate(), serial -> new CertificateStatus.Good(), VALIDITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OCSPSigning");
    }

    @Test
    void refusesAResponderCertificateFromAnotherCa() {
        KeyAndChain foreign = TestPki.create("Other CA").issue("Foreign Responder", CertificateProfile.OCSP);

        assertThatThrownBy(() -> new OcspResponder(
                        foreign, pki.caCertificate(), serial -> new CertificateStatus.Good(), VALIDITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not issued by the CA");
    }

    /** Has openssl write a request for {@code cert}, answers it and saves resp.der. */
    private byte[] answer(String issuer, String cert, String... options) throws IOException {
        String[] args = {"ocsp", "-issuer", issuer, "-cert", cert, "-reqout", "req.der"};
        OpenSsl.Result request = openssl.run(concat(args, options));
        assertThat(request.exitCode()).as("%s", request).isZero();
        byte[] response = responder.respond(Files.readAllBytes(dir.resolve("req.der")));
        Files.write(dir.resolve("resp.der"), response);
        return response;
    }

    /** Has openssl verify resp.der against the CA alone, and print the status of {@code cert}. */
    private OpenSsl.Result check(String issuer, String cert) {
        return openssl.run(
                "ocsp", "-respin", "resp.der", "-issuer", issuer, "-cert", cert, "-CAfile", "ca.pem", "-no_nonce");
    }

    private static BasicOCSPResp basic(byte[] response) throws Exception {
        OCSPResp parsed = new OCSPResp(response);
        assertThat(parsed.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        return (BasicOCSPResp) parsed.getResponseObject();
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
