package vn.truc.registry.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.CertificateRequests;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;

/**
 * The registry's built-in certification authority for a one-machine federation. It issues auth
 * certificates to security servers and sign and document-encryption certificates to members from CSRs, to a requester
 * who presents the member's enrolment token. The subject is set by the CA from the holder's
 * identifier (never taken from the CSR), so a certificate always names who it belongs to.
 */
public final class EmbeddedCa {
    private final KeyAndChain caKey;
    private final String ocspUrl;
    private final Duration validity;
    private final TokenCheck tokens;
    private final Consumer<X509Certificate> issuedLog;

    /** Says whether {@code tokenHash} is the current enrolment token hash of {@code member}. */
    @FunctionalInterface
    public interface TokenCheck {
        Optional<String> tokenHash(ClientId member);
    }

    public EmbeddedCa(
            KeyAndChain caKey,
            String ocspUrl,
            Duration validity,
            TokenCheck tokens,
            Consumer<X509Certificate> issuedLog) {
        this.caKey = caKey;
        this.ocspUrl = ocspUrl;
        this.validity = validity;
        this.tokens = tokens;
        this.issuedLog = issuedLog;
    }

    public X509Certificate certificate() {
        return caKey.certificate();
    }

    /** An auth certificate for a security server; the chain returned is leaf first. */
    public List<X509Certificate> issueAuth(String csrPem, SecurityServerId server, String token) {
        checkToken(server.owner(), token);
        var subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "VN")
                .addRDN(BCStyle.O, server.owner().memberCode())
                .addRDN(BCStyle.CN, server.serverCode())
                .addRDN(BCStyle.SERIALNUMBER, server.toString())
                .build();
        return issue(csrPem, subject, CertificateProfile.AUTH);
    }

    /** A sign certificate for a member; the chain returned is leaf first. */
    public List<X509Certificate> issueSign(String csrPem, ClientId member, String token) {
        checkToken(member, token);
        return issue(csrPem, memberSubject(member), CertificateProfile.SIGN);
    }

    /**
     * A document-encryption certificate for a member, the key peers encrypt documents to; the
     * chain returned is leaf first.
     */
    public List<X509Certificate> issueEncryption(String csrPem, ClientId member, String token) {
        checkToken(member, token);
        return issue(csrPem, memberSubject(member), CertificateProfile.ENCRYPTION);
    }

    private static org.bouncycastle.asn1.x500.X500Name memberSubject(ClientId member) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "VN")
                .addRDN(BCStyle.O, member.memberClass())
                .addRDN(BCStyle.CN, member.memberCode())
                .addRDN(BCStyle.SERIALNUMBER, member.toString())
                .build();
    }

    private List<X509Certificate> issue(
            String csrPem, org.bouncycastle.asn1.x500.X500Name subject, CertificateProfile profile) {
        PKCS10CertificationRequest csr;
        try {
            csr = CertificateRequests.fromPemVerified(csrPem);
        } catch (IllegalArgumentException e) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INVALID_REQUEST, "certificate request: " + e.getMessage());
        }
        X509Certificate certificate = Certificates.issue(
                Certificates.Issuer.of(caKey.certificate(), caKey.privateKey()),
                subject,
                CertificateRequests.publicKey(csr),
                validity,
                profile,
                ocspUrl);
        issuedLog.accept(certificate);
        return List.of(certificate, caKey.certificate());
    }

    private void checkToken(ClientId member, String token) {
        Optional<String> expected = tokens.tokenHash(member.memberId());
        boolean ok = token != null
                && expected.isPresent()
                && MessageDigest.isEqual(
                        expected.get().getBytes(StandardCharsets.US_ASCII),
                        Digests.sha256Hex(token.getBytes(StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.US_ASCII));
        if (!ok) {
            throw new TrucException(
                    Origin.REGISTRY,
                    ErrorCode.ACCESS_DENIED,
                    "enrolment token is not valid for member " + member.memberId()
                            + " (the registry administrator gets it from 'truc registry member add')");
        }
    }
}
