package vn.truc.core.message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;
import vn.truc.core.audit.MerkleTree;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Message signatures: detached CMS SignedData (RFC 5652) over a {@link MessageManifest}'s bytes,
 * so an auditor can check one offline with {@code openssl cms -verify}.
 *
 * <p>Form: content type id-data, not encapsulated; one signer; SHA-256; SHA256withRSA or
 * SHA256withECDSA by the key's type; signed attributes content type, message digest, signing time,
 * CMS algorithm protection and ESS signing-certificate-v2 (RFC 5035, binds the exact certificate);
 * the signer's chain; optionally the signer certificate's OCSP response as other revocation info
 * of format id-ri-ocsp-response (RFC 5940).
 *
 * <p><b>Batch signatures</b> ({@link #signEach}): one private-key operation for several contents.
 * The CMS then signs, instead of the content, the {@link #batchContent batch content}
 * {@code {"signatureBatchRoot":"<hex>"}}, naming the Merkle root (RFC 6962 shape, as the message
 * log's timestamps: a leaf is SHA-256 of 0x00 and the content's bytes) over all the contents of the
 * batch; each content's copy of the CMS carries its own path to that root in an unsigned attribute
 * of type {@link #BATCH_PATH} (a UTF8String {@code L:hex,R:hex,...}, leaf to root). The path needs
 * no signature of its own: a wrong path leads to another root, which the signature does not cover.
 * A batch of one is signed as a plain signature. {@link #verify} accepts both forms.
 */
public final class MessageSignatures {
    /** BouncyCastle resolves key algorithms by OID, which the JDK's providers do not all do for EC. */
    private static final Provider BC = new BouncyCastleProvider();

    private static final CMSSignatureAlgorithmNameGenerator NAMES = new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final SignatureAlgorithmIdentifierFinder ALGORITHMS =
            new DefaultSignatureAlgorithmIdentifierFinder();
    private static final DigestCalculatorProvider DIGESTS = new BcDigestCalculatorProvider();

    private static final String DOES_NOT_VERIFY = "message signature does not verify (manifest changed or wrong key)";

    /**
     * The unsigned attribute that carries a content's path to its batch's Merkle root. A UUID OID
     * (ITU-T X.667: {@code 2.25.} and the UUID as an integer), which needs no registration.
     */
    public static final ASN1ObjectIdentifier BATCH_PATH =
            new ASN1ObjectIdentifier("2.25.124036875399803830963417911521949486130");

    /** Batches are at most this large: 1,024 contents, paths of at most 10 steps. */
    public static final int MAX_BATCH = 1024;

    private static final int MAX_PATH_STEPS = 10;
    private static final byte[] BATCH_CONTENT_PREFIX = "{\"signatureBatchRoot\"".getBytes(StandardCharsets.UTF_8);

    private MessageSignatures() {}

    /** Signs {@code manifest}; {@code ocspResponseDer}, when not null, travels inside the CMS. */
    public static byte[] sign(byte[] manifest, KeyAndChain signer, byte[] ocspResponseDer) {
        try {
            return generate(manifest, signer, ocspResponseDer).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw cannotSign(e);
        }
    }

    /**
     * Signs each of {@code contents} with one private-key operation: a batch signature (see the
     * class comment) for two or more, a plain {@link #sign} for one. The answer is in the order of
     * {@code contents}; each element verifies against its content with {@link #verify}.
     */
    public static List<byte[]> signEach(List<byte[]> contents, KeyAndChain signer, byte[] ocspResponseDer) {
        if (contents.isEmpty() || contents.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " contents, not " + contents.size());
        }
        if (contents.size() == 1) {
            return List.of(sign(contents.get(0), signer, ocspResponseDer));
        }
        byte[] root = MerkleTree.root(contents);
        List<List<MerkleTree.Step>> paths = MerkleTree.paths(contents);
        CMSSignedData signed = generate(batchContent(root), signer, ocspResponseDer);
        SignerInformation signerInfo =
                signed.getSignerInfos().getSigners().iterator().next();
        List<byte[]> signatures = new ArrayList<>(contents.size());
        try {
            for (List<MerkleTree.Step> path : paths) {
                Attribute attribute =
                        new Attribute(BATCH_PATH, new DERSet(new DERUTF8String(MerkleTree.pathToText(path))));
                SignerInformation withPath =
                        SignerInformation.replaceUnsignedAttributes(signerInfo, new AttributeTable(attribute));
                signatures.add(CMSSignedData.replaceSigners(signed, new SignerInformationStore(withPath))
                        .getEncoded(ASN1Encoding.DER));
            }
        } catch (IOException e) {
            throw cannotSign(e);
        }
        return List.copyOf(signatures);
    }

    /** What a batch signature signs: {@code {"signatureBatchRoot":"<hex root>"}} in UTF-8. */
    public static byte[] batchContent(byte[] root) {
        String hex = HexFormat.of().formatHex(root);
        return ("{\"signatureBatchRoot\":\"" + hex + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static CMSSignedData generate(byte[] content, KeyAndChain signer, byte[] ocspResponseDer) {
        try {
            var contentSigner = new JcaContentSignerBuilder(
                            KeyAlgorithm.of(signer.privateKey()).signatureAlgorithm())
                    .build(signer.privateKey());
            var attributes = new DefaultSignedAttributeTableGenerator(SignedAttributes.naming(signer.certificate()));
            var signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(attributes)
                    .build(contentSigner, signer.certificate());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(new JcaCertStore(signer.chain()));
            if (ocspResponseDer != null) {
                generator.addOtherRevocationInfo(
                        CMSObjectIdentifiers.id_ri_ocsp_response, OCSPResponse.getInstance(ocspResponseDer));
            }
            return generator.generate(new CMSProcessableByteArray(content), false);
        } catch (GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw cannotSign(e);
        } catch (IllegalArgumentException e) {
            String message = "cannot sign message (key type or OCSP response not usable): " + e;
            throw new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, message, e);
        }
    }

    private static TrucException cannotSign(Exception e) {
        return new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot sign message: " + e, e);
    }

    /**
     * Checks that {@code cms} is a detached signature of exactly {@code manifest} by the one signer
     * whose certificate it carries. It does not decide whether to trust that signer: the caller
     * must check that the certificate belongs to the claimed member, chains to an approved CA, and
     * that the OCSP response is good, signed by that CA's responder and fresh.
     *
     * @throws TrucException {@link ErrorCode#INVALID_SIGNATURE} naming what failed
     */
    public static VerifiedSignature verify(byte[] cms, byte[] manifest) {
        Objects.requireNonNull(manifest, "manifest");
        CMSSignedData signed = parse(cms, manifest);
        try {
            SignerInformation signer = onlySigner(signed);
            X509CertificateHolder holder = signerCertificate(signed, signer);
            X509Certificate certificate = Certificates.fromDer(holder.getEncoded());
            checkSignature(signer, new SignerKey(holder, certificate.getPublicKey()));
            SignedAttributes.checkNames(signer, certificate);
            List<X509Certificate> certificates = certificates(signed, certificate);
            return new VerifiedSignature(
                    certificate, certificates, ocspResponse(signed), SignedAttributes.signingTime(signer));
        } catch (IOException | RuntimeException e) {
            // BouncyCastle decodes lazily and reports malformed ASN.1 deep inside with unchecked exceptions
            throw e instanceof TrucException t ? t : invalid("malformed CMS SignedData: " + e, e);
        }
    }

    private static CMSSignedData parse(byte[] cms, byte[] manifest) {
        try {
            if (cms == null || cms.length == 0) {
                throw invalid("not a CMS SignedData: empty", null);
            }
            // fromByteArray refuses trailing bytes after the structure
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw invalid("not a CMS SignedData: content type " + info.getContentType(), null);
            }
            SignedData data = SignedData.getInstance(info.getContent());
            if (!CMSObjectIdentifiers.data.equals(data.getEncapContentInfo().getContentType())) {
                throw invalid("signed content type is not id-data", null);
            }
            if (data.getEncapContentInfo().getContent() != null) {
                throw invalid("signature encapsulates its content; expected a detached signature", null);
            }
            return new CMSSignedData(new CMSProcessableByteArray(signedContent(data, manifest)), info);
        } catch (IOException | CMSException | RuntimeException e) {
            // BouncyCastle reports malformed ASN.1 with assorted unchecked exceptions
            throw e instanceof TrucException t ? t : invalid("not a CMS SignedData: " + e.getMessage(), e);
        }
    }

    /**
     * What the signature must cover: {@code manifest} itself, or for a batch signature the batch
     * content of the root that {@code manifest} and its path lead to.
     */
    private static byte[] signedContent(SignedData data, byte[] manifest) {
        if (data.getSignerInfos().size() != 1) {
            return manifest; // refused by onlySigner, with the count
        }
        ASN1Set unsigned =
                SignerInfo.getInstance(data.getSignerInfos().getObjectAt(0)).getUnauthenticatedAttributes();
        ASN1EncodableVector paths =
                unsigned == null ? new ASN1EncodableVector() : new AttributeTable(unsigned).getAll(BATCH_PATH);
        if (paths.size() == 0) {
            if (startsWith(manifest, BATCH_CONTENT_PREFIX)) {
                throw invalid("a batch's own content is not a message; its signature needs a path", null);
            }
            return manifest;
        }
        if (paths.size() > 1) {
            throw invalid("batch signature carries " + paths.size() + " paths to its root; expected one", null);
        }
        ASN1Set values = Attribute.getInstance(paths.get(0)).getAttrValues();
        if (values.size() != 1 || !(values.getObjectAt(0) instanceof ASN1UTF8String text)) {
            throw invalid("batch signature's path is not one UTF8String", null);
        }
        List<MerkleTree.Step> path;
        try {
            path = MerkleTree.pathFromText(text.getString());
        } catch (TrucException e) {
            throw invalid("batch signature's path is malformed: " + e.getMessage(), e);
        }
        if (path.isEmpty() || path.size() > MAX_PATH_STEPS) {
            throw invalid(
                    "batch signature's path has " + path.size() + " steps; expected 1 to " + MAX_PATH_STEPS, null);
        }
        return batchContent(MerkleTree.rootFromPath(manifest, path));
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static SignerInformation onlySigner(CMSSignedData signed) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw invalid("expected exactly one signer, found " + signers.size(), null);
        }
        SignerInformation signer = signers.iterator().next();
        if (!NISTObjectIdentifiers.id_sha256.getId().equals(signer.getDigestAlgOID())) {
            throw invalid("digest algorithm " + signer.getDigestAlgOID() + " is not accepted (expected SHA-256)", null);
        }
        return signer;
    }

    @SuppressWarnings("unchecked") // BouncyCastle's SignerId is a raw Selector
    private static X509CertificateHolder signerCertificate(CMSSignedData signed, SignerInformation signer) {
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
        if (matches.size() != 1) {
            throw invalid("expected the signer's certificate once in the CMS, found " + matches.size(), null);
        }
        return matches.iterator().next();
    }

    private static void checkSignature(SignerInformation signer, SignerKey key) {
        try {
            if (!signer.verify(new SignerInformationVerifier(NAMES, ALGORITHMS, key, DIGESTS))) {
                throw invalid(DOES_NOT_VERIFY, null);
            }
        } catch (CMSSignerDigestMismatchException e) {
            throw invalid(DOES_NOT_VERIFY, e);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw invalid("the signer's certificate was not valid at the signing time", e);
        } catch (CMSException e) {
            throw invalid("message signature cannot be verified: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(CMSSignedData signed, X509Certificate signer) throws IOException {
        List<X509Certificate> all = new ArrayList<>(List.of(signer));
        for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
            X509Certificate certificate = Certificates.fromDer(holder.getEncoded());
            if (!certificate.equals(signer)) {
                all.add(certificate);
            }
        }
        return all;
    }

    private static byte[] ocspResponse(CMSSignedData signed) throws IOException {
        Store<?> store = signed.getOtherRevocationInfo(CMSObjectIdentifiers.id_ri_ocsp_response);
        Collection<?> responses = store.getMatches(null);
        if (responses.size() > 1) {
            throw invalid("more than one OCSP response in the CMS", null);
        }
        return responses.isEmpty()
                ? null
                : OCSPResponse.getInstance(responses.iterator().next()).getEncoded(ASN1Encoding.DER);
    }

    /**
     * The signer's certificate and key, checking each signature once. BouncyCastle's own
     * verifiers (JcaContentVerifierProviderBuilder) check an RSA signature a second time through a
     * raw signature object, for the sake of PKCS#11 sessions, which doubles the RSA work of every
     * message a server receives. The certificate goes with it so that BouncyCastle still checks
     * that it was valid at the signing time.
     */
    private record SignerKey(X509CertificateHolder certificate, PublicKey key) implements ContentVerifierProvider {
        @Override
        public boolean hasAssociatedCertificate() {
            return true;
        }

        @Override
        public X509CertificateHolder getAssociatedCertificate() {
            return certificate;
        }

        @Override
        public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
            Signature signature;
            try {
                // BouncyCastle knows its signature algorithms by OID as well as by name
                signature = Signature.getInstance(algorithm.getAlgorithm().getId(), BC);
                signature.initVerify(key);
            } catch (GeneralSecurityException e) {
                throw new OperatorCreationException(
                        "signature algorithm " + algorithm.getAlgorithm() + " not usable: " + e.getMessage(), e);
            }
            OutputStream data = OutputStreamFactory.createStream(signature);
            return new ContentVerifier() {
                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public OutputStream getOutputStream() {
                    return data;
                }

                @Override
                public boolean verify(byte[] expected) {
                    try {
                        return signature.verify(expected);
                    } catch (SignatureException e) {
                        throw new RuntimeOperatorException("malformed signature value: " + e.getMessage(), e);
                    }
                }
            };
        }
    }

    static TrucException invalid(String message, Throwable cause) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_SIGNATURE, message, cause);
    }
}
