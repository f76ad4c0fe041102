package vn.truc.core.document;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * The RecipientInfos of a document envelope: RSA-OAEP (SHA-256, MGF1-SHA-256) key transport for an
 * RSA certificate, ephemeral-static ECDH (dhSinglePass-stdDH-sha256kdf, AES-256 key wrap) for an EC
 * one, and on the way back the one RecipientInfo a member's key opens.
 */
final class EnvelopeRecipients {
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;

    private EnvelopeRecipients() {}

    /** The RecipientInfo generator for {@code certificate}, refusing one whose key usage forbids it. */
    static RecipientInfoGenerator generator(X509Certificate certificate, Provider provider) {
        try {
            return switch (KeyAlgorithm.of(certificate.getPublicKey())) {
                case RSA -> {
                    requireKeyUsage(certificate, KEY_ENCIPHERMENT, "keyEncipherment");
                    yield new JceKeyTransRecipientInfoGenerator(certificate, oaep()).setProvider(provider);
                }
                case EC -> {
                    requireKeyUsage(certificate, KEY_AGREEMENT, "keyAgreement");
                    KeyPair ephemeral = ephemeralKeyPair((ECPublicKey) certificate.getPublicKey());
                    yield new JceKeyAgreeRecipientInfoGenerator(
                                    CMSAlgorithm.ECDH_SHA256KDF,
                                    ephemeral.getPrivate(),
                                    ephemeral.getPublic(),
                                    CMSAlgorithm.AES256_WRAP)
                            .setProvider(provider)
                            .addRecipient(certificate);
                }
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unusable(certificate, e.getMessage(), e);
        }
    }

    /**
     * The RecipientInfo addressed to {@code certificate} (by issuer and serial number or by subject
     * key identifier), with the recipient that opens it with {@code key}.
     *
     * @throws TrucException {@link ErrorCode#INVALID_REQUEST} if there is none, or if it uses a key
     *     transport or agreement algorithm other than ours
     */
    @SuppressWarnings("unchecked") // BouncyCastle's RecipientId is a raw Selector
    static Opener find(RecipientInformationStore store, X509Certificate certificate, PrivateKey key, Provider provider)
            throws IOException {
        X509CertificateHolder holder = new X509CertificateHolder(Certificates.der(certificate));
        for (RecipientInformation info : store.getRecipients()) {
            if (!info.getRID().match(holder)) {
                continue;
            }
            if (info instanceof KeyTransRecipientInformation) {
                requireAlgorithm(info, PKCSObjectIdentifiers.id_RSAES_OAEP.getId(), "RSAES-OAEP");
                var recipient = new JceKeyTransAuthEnvelopedRecipient(key)
                        .setKeySizeValidation(true)
                        .setProvider(provider);
                return new Opener(info, recipient);
            }
            if (info instanceof KeyAgreeRecipientInformation) {
                requireAlgorithm(info, CMSAlgorithm.ECDH_SHA256KDF.getId(), "dhSinglePass-stdDH-sha256kdf");
                return new Opener(info, new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(provider));
            }
        }
        throw DocumentEncryption.refused("document is not encrypted for certificate " + subject(certificate), null);
    }

    /** A RecipientInfo and the recipient (private key and provider) that opens it. */
    record Opener(RecipientInformation info, Recipient recipient) {}

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().toString();
    }

    private static AlgorithmIdentifier oaep() throws GeneralSecurityException {
        OAEPParameterSpec sha256 =
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        return new JcaAlgorithmParametersConverter()
                .getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, sha256);
    }

    /** A fresh key pair on the recipient's curve for every document: the "ephemeral" of ephemeral-static. */
    private static KeyPair ephemeralKeyPair(ECPublicKey recipient) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(recipient.getParams());
        return generator.generateKeyPair();
    }

    /** RFC 5280: when the key usage extension is present, the key may serve only the usages it lists. */
    private static void requireKeyUsage(X509Certificate certificate, int bit, String name) {
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= bit || !usage[bit])) {
            throw unusable(certificate, "its key usage lacks " + name, null);
        }
    }

    private static void requireAlgorithm(RecipientInformation info, String oid, String name) {
        if (!oid.equals(info.getKeyEncryptionAlgOID())) {
            String message = "document key encryption " + info.getKeyEncryptionAlgOID() + " is not accepted (expected "
                    + name + ")";
            throw DocumentEncryption.refused(message, null);
        }
    }

    private static TrucException unusable(X509Certificate certificate, String reason, Throwable cause) {
        String message = "certificate " + subject(certificate) + " cannot receive encrypted documents: " + reason;
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_CERTIFICATE, message, cause);
    }
}
