package vn.truc.registry.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores;

/**
 * A timestamping authority (RFC 3161): a DER TimeStampReq in, a DER TimeStampResp out, no
 * transport. It stamps SHA-256, SHA-384 and SHA-512 imprints under one policy, to one second of
 * accuracy, and names its certificate in an ESSCertIDv2 (SHA-256) signing-certificate attribute.
 */
public final class TimestampAuthority {
    private static final Set<ASN1ObjectIdentifier> ACCEPTED_DIGESTS =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final AlgorithmIdentifier SHA256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

    private final KeyStores.KeyAndChain tsaKey;
    private final ASN1ObjectIdentifier policy;
    private final DigestCalculatorProvider digests;
    private final JcaCertStore chain;
    private final SerialNumbers serialNumbers = new SerialNumbers();

    /**
     * @param tsaKey the TSA's key and chain, leaf first; the leaf must carry a critical
     *     timeStamping extended key usage and nothing else
     * @param policyOid the TSA policy every token names, and the only one a request may ask for
     * @throws IllegalArgumentException if the certificate is not fit for timestamping or the OID is invalid
     */
    public TimestampAuthority(KeyStores.KeyAndChain tsaKey, String policyOid) {
        this.tsaKey = tsaKey;
        this.policy = new ASN1ObjectIdentifier(policyOid);
        this.digests = digestProvider();
        this.chain = certStore(tsaKey);
        responseGenerator(); // fails now, not on the first request, if the certificate does not fit
    }

    /** The TSA's own certificate, which signs every token. */
    public X509Certificate certificate() {
        return tsaKey.certificate();
    }

    /** Answers one request; never throws: anything wrong with it is a rejection response. */
    public byte[] respond(byte[] derTimeStampRequest) {
        try {
            return answer(derTimeStampRequest).getEncoded();
        } catch (TSPException | IOException e) {
            throw new IllegalStateException("cannot encode timestamp response", e);
        }
    }

    private TimeStampResponse answer(byte[] der) throws TSPException {
        TimeStampResponseGenerator generator = responseGenerator();
        Optional<TimeStampRequest> request = parse(der);
        if (request.isEmpty()) {
            return generator.generateFailResponse(
                    PKIStatus.REJECTION, PKIFailureInfo.badDataFormat, "malformed request");
        }
        // Rejects, rather than throws, what fails validation: digest algorithm, imprint length, policy, extensions.
        return generator.generate(request.get(), serialNumbers.next(), new Date());
    }

    /** A fresh generator per request: BouncyCastle's signers keep state and are not thread-safe. */
    private TimeStampResponseGenerator responseGenerator() {
        try {
            var signer = new JcaContentSignerBuilder(
                            KeyAlgorithm.of(tsaKey.privateKey()).signatureAlgorithm())
                    .build(tsaKey.privateKey());
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(digests).build(signer, certificate());
            // A SHA-256 certificate digest makes the signing-certificate attribute an ESSCertIDv2.
            var tokens = new TimeStampTokenGenerator(signerInfo, digests.get(SHA256), policy);
            tokens.setAccuracySeconds(1);
            tokens.addCertificates(chain); // included only when the request sets certReq
            return new TimeStampResponseGenerator(tokens, ACCEPTED_DIGESTS, Set.of(policy), Set.of());
        } catch (OperatorCreationException | GeneralSecurityException | TSPException e) {
            throw new IllegalArgumentException("TSA key or certificate unusable: " + e.getMessage(), e);
        }
    }

    private static Optional<TimeStampRequest> parse(byte[] der) {
        try {
            return Optional.of(new TimeStampRequest(der));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // BouncyCastle reports some malformed DER as unchecked exceptions
        }
    }

    private static JcaCertStore certStore(KeyStores.KeyAndChain key) {
        try {
            return new JcaCertStore(key.chain());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TSA chain: " + e, e);
        }
    }

    private static DigestCalculatorProvider digestProvider() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serial numbers that only increase: the current time in microseconds, or one more than the
     * last when requests come faster, so they stay unique across restarts as well.
     */
    private static final class SerialNumbers {
        private final AtomicLong last = new AtomicLong();

        BigInteger next() {
            long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            return BigInteger.valueOf(last.updateAndGet(previous -> Math.max(previous + 1, now)));
        }
    }
}
