package vn.truc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.BodyDigest;
import vn.truc.core.message.MessageManifest;
import vn.truc.core.testing.TestPki;

/** The inputs the benchmarks share: a typical manifest, an OCSP response, bodies and the sample files. */
final class Fixtures {
    static final String CLIENT_MEMBER = "VN/GOV/000.00.00.G22";
    static final ClientId CLIENT = ClientId.parse(CLIENT_MEMBER + "/DMS");
    static final ServiceId SERVICE = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");

    /** Overrides where the shared reference material (edXML samples) is found. */
    static final String SHARED_PROPERTY = "truc.shared";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {}

    /** Random bytes: neither compressible nor cacheable by anything on the way. */
    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The manifest of a SOAP request with a body of {@code body}, as a client proxy signs it. */
    static MessageManifest request(String messageId, byte[] body) {
        return new MessageManifest(
                MessageManifest.Kind.REQUEST,
                messageId,
                CLIENT,
                SERVICE,
                "VN001089012345",
                null,
                "soap",
                "POST",
                null,
                "text/xml; charset=UTF-8",
                BodyDigest.of(body),
                null,
                Instant.now());
    }

    /** A successful OCSP response from {@code pki}'s CA: "good" for {@code certificate}. */
    @SuppressWarnings("JavaUtilDate") // BouncyCastle's OCSP builder takes a Date
    static byte[] ocspResponse(TestPki pki, X509Certificate certificate) {
        try {
            DigestCalculator sha1 =
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
            var builder = new JcaBasicOCSPRespBuilder(pki.caCertificate().getPublicKey(), sha1);
            builder.addResponse(
                    new JcaCertificateID(sha1, pki.caCertificate(), certificate.getSerialNumber()),
                    CertificateStatus.GOOD);
            BasicOCSPResp basic = builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pki.ca().privateKey()), null, new Date());
            return new OCSPRespBuilder()
                    .build(OCSPRespBuilder.SUCCESSFUL, basic)
                    .getEncoded();
        } catch (OperatorCreationException | OCSPException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make the OCSP response: " + e, e);
        }
    }

    /** A file of the shared reference material: under -Dtruc.shared, else shared/ or ../shared/. */
    static Path sharedFile(String relative) {
        String configured = System.getProperty(SHARED_PROPERTY);
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured));
        } else {
            candidates.add(Path.of("shared"));
            candidates.add(Path.of("..", "shared"));
            candidates.add(Path.of("..", "..", "shared"));
        }
        for (Path dir : candidates) {
            Path file = dir.resolve(relative);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException(relative + " not found under " + candidates + " (working directory "
                + Path.of("").toAbsolutePath() + "); give -D" + SHARED_PROPERTY + "=<dir>");
    }
}
