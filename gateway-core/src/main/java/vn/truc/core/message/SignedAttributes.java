package vn.truc.core.message;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;

/**
 * The signed attributes a message signature carries beyond content type and message digest, which
 * BouncyCastle checks itself: the signing time, and the ESS signing-certificate-v2 (RFC 5035) that
 * binds the signature to one certificate, not merely to a key that several certificates may share.
 */
final class SignedAttributes {
    private SignedAttributes() {}

    /** The extra attributes for signing with {@code certificate}; BouncyCastle adds the standard ones. */
    static AttributeTable naming(X509Certificate certificate) {
        ESSCertIDv2 id = new ESSCertIDv2(Digests.sha256(Certificates.der(certificate))); // SHA-256 is the default
        Attribute attribute = new Attribute(
                PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(new SigningCertificateV2(id)));
        return new AttributeTable(attribute);
    }

    /** Refuses a signature whose signing-certificate-v2 attribute does not name {@code certificate}. */
    static void checkNames(SignerInformation signer, X509Certificate certificate) {
        var id = PKCSObjectIdentifiers.id_aa_signingCertificateV2;
        ESSCertIDv2[] ids = SigningCertificateV2.getInstance(onlyValue(signer, id, "ESS signing-certificate-v2"))
                .getCerts();
        byte[] expected = Digests.sha256(Certificates.der(certificate));
        boolean names = ids.length > 0
                && NISTObjectIdentifiers.id_sha256.equals(
                        ids[0].getHashAlgorithm().getAlgorithm())
                && Arrays.equals(ids[0].getCertHash(), expected);
        if (!names) {
            throw MessageSignatures.invalid(
                    "the signature names another certificate than the signer's certificate in the CMS", null);
        }
    }

    static Instant signingTime(SignerInformation signer) {
        Time time = Time.getInstance(onlyValue(signer, CMSAttributes.signingTime, "signing time"));
        return time.getDate().toInstant();
    }

    private static ASN1Encodable onlyValue(SignerInformation signer, ASN1ObjectIdentifier type, String name) {
        AttributeTable table = signer.getSignedAttributes();
        ASN1EncodableVector all = table == null ? new ASN1EncodableVector() : table.getAll(type);
        if (all.size() != 1 || Attribute.getInstance(all.get(0)).getAttrValues().size() != 1) {
            throw MessageSignatures.invalid("expected exactly one " + name + " among the signed attributes", null);
        }
        return Attribute.getInstance(all.get(0)).getAttrValues().getObjectAt(0);
    }
}
