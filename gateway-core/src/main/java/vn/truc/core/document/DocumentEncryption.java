package vn.truc.core.document;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.document.EnvelopeRecipients.Opener;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * End-to-end encryption of a document for the recipient member: CMS AuthEnvelopedData (RFC 5083)
 * with AES-256-GCM content encryption (RFC 5084) and one RecipientInfo per recipient certificate,
 * RSA-OAEP with SHA-256 for an RSA key or ephemeral-static ECDH with the SHA-256 KDF and AES-256 key
 * wrap for an EC key (RFC 5753). {@code openssl cms -decrypt} (OpenSSL 3) opens what this class
 * makes, and this class opens what {@code openssl cms -encrypt -aes-256-gcm} makes with those key
 * algorithms.
 *
 * <p>Both directions stream with constant memory, whatever the document's size. The CMS is BER:
 * indefinite lengths, the ciphertext in 64 KiB octet-string chunks. A CMS with definite lengths is
 * read too, but BouncyCastle refuses an outer length beyond the heap size, so large documents must
 * come in the streamed form this class writes.
 *
 * <p><b>Unverified plaintext.</b> GCM authenticates the whole ciphertext with one tag at its end, so
 * {@link #decrypt} has written most of the plaintext before it can know whether the ciphertext was
 * changed. The caller writes the plaintext to a temporary file, deletes that file if decrypt throws,
 * and uses it only once decrypt has returned. Even then the tag only proves that the ciphertext is
 * the one made with this content key: anyone can encrypt for a public certificate, so who sent the
 * document is proven by the message signature over the CMS's digest, not by the envelope.
 */
public final class DocumentEncryption {
    /**
     * BouncyCastle resolves CMS algorithms by OID, which the JDK's providers do not all do, and its
     * AES-GCM releases plaintext as it decrypts; the JDK's holds all of it until the tag is checked.
     */
    private static final Provider BC = new BouncyCastleProvider();

    private static final int CHUNK = 64 * 1024;
    private static final int GCM_NONCE_BYTES = 12;
    private static final int GCM_TAG_BYTES = 16;

    private DocumentEncryption() {}

    /**
     * Encrypts {@code plaintext} for every certificate in {@code recipients} and writes the CMS to
     * {@code out}, which stays open. If reading fails, what {@code out} has received has no
     * authentication tag, so it cannot be taken for a complete document.
     *
     * @throws TrucException {@link ErrorCode#INVALID_CERTIFICATE} for a recipient certificate whose
     *     key is neither RSA nor EC or whose key usage forbids key encipherment (RSA) or key agreement (EC)
     * @throws IOException if reading {@code plaintext} or writing {@code out} fails
     */
    public static void encrypt(InputStream plaintext, OutputStream out, List<X509Certificate> recipients)
            throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a document needs at least one recipient");
        }
        CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
        generator.setBufferSize(CHUNK);
        for (X509Certificate recipient : recipients) {
            generator.addRecipientInfoGenerator(EnvelopeRecipients.generator(recipient, BC));
        }
        OutputStream sealed;
        try {
            var encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                    .setProvider(BC)
                    .build();
            sealed = generator.open(out, encryptor);
        } catch (CMSException e) {
            throw new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot encrypt document: " + e, e);
        }
        plaintext.transferTo(sealed);
        // not in a finally: closing writes the tag, which a document cut short by a failed read must not get
        sealed.close();
    }

    /**
     * Decrypts a CMS made by {@link #encrypt} (or by OpenSSL alike) with the member's key, writing the
     * plaintext to {@code plaintext}, which stays open. Read the class comment on unverified plaintext.
     *
     * @throws TrucException {@link ErrorCode#INVALID_REQUEST} if the document is not encrypted for
     *     {@code recipientKey}'s certificate, uses other algorithms, is malformed, or fails
     *     authentication because its ciphertext or tag changed
     * @throws IOException if reading {@code cms} or writing {@code plaintext} fails
     */
    public static void decrypt(InputStream cms, OutputStream plaintext, KeyAndChain recipientKey) throws IOException {
        CallerInput source = new CallerInput(cms);
        InputStream content;
        try {
            content = open(new BufferedInputStream(source, CHUNK), recipientKey);
        } catch (IOException | CMSException | RuntimeException e) {
            throw classify(e, source);
        }
        byte[] buffer = new byte[CHUNK];
        while (true) {
            int n;
            try {
                n = content.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw classify(e, source);
            }
            if (n < 0) {
                return;
            }
            plaintext.write(buffer, 0, n);
        }
    }

    private static InputStream open(InputStream in, KeyAndChain key) throws IOException, CMSException {
        CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(in);
        requireAes256Gcm(parser.getEncryptionAlgOID());
        Opener opener = EnvelopeRecipients.find(parser.getRecipientInfos(), key.certificate(), key.privateKey(), BC);
        if (!CMSObjectIdentifiers.data.equals(opener.info().getContentType())) {
            throw refused("encrypted content type " + opener.info().getContentType() + " is not id-data", null);
        }
        try {
            return opener.info().getContentStream(opener.recipient()).getContentStream();
        } catch (CMSException e) {
            String message = "document key cannot be recovered with the key of certificate "
                    + EnvelopeRecipients.subject(key.certificate()) + " (changed on the way, or another key): "
                    + e.getMessage();
            throw refused(message, e);
        }
    }

    private static void requireAes256Gcm(AlgorithmIdentifier algorithm) {
        if (!CMSAlgorithm.AES256_GCM.equals(algorithm.getAlgorithm())) {
            String message = "document content encryption " + algorithm.getAlgorithm()
                    + " is not accepted (expected AES-256-GCM)";
            throw refused(message, null);
        }
        // a truncated tag would weaken the authentication: the sender's parameters are not trusted
        GCMParameters gcm = GCMParameters.getInstance(algorithm.getParameters());
        if (gcm.getNonce().length != GCM_NONCE_BYTES || gcm.getIcvLen() != GCM_TAG_BYTES) {
            String message = "document AES-GCM parameters are not accepted: nonce of " + gcm.getNonce().length
                    + " bytes, tag of " + gcm.getIcvLen() + " bytes (expected 12 and 16)";
            throw refused(message, null);
        }
    }

    /** What went wrong while reading: the caller's own stream (rethrown as is), or the document. */
    private static TrucException classify(Exception e, CallerInput source) throws IOException {
        if (source.failure != null) {
            throw source.failure;
        }
        if (e instanceof TrucException t) {
            return t;
        }
        if (e instanceof InvalidCipherTextIOException) {
            return refused("document ciphertext fails authentication (changed on the way)", e);
        }
        // BouncyCastle reports malformed ASN.1 with IOExceptions and assorted unchecked exceptions
        return refused("document is not a well-formed CMS AuthEnvelopedData: " + e.getMessage(), e);
    }

    static TrucException refused(String message, Throwable cause) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, message, cause);
    }

    /** The caller's CMS stream; remembers its own failure so that it is not mistaken for a malformed document. */
    private static final class CallerInput extends FilterInputStream {
        private IOException failure;

        CallerInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
