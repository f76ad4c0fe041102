package vn.truc.registry.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;

class TimestampAuthorityTest {
    private static final String POLICY = "1.3.6.1.4.1.99999.1.1";

    @TempDir
    Path dir;

    private OpenSsl openssl;
    private TestPki pki;
    private TimestampAuthority tsa;

    @BeforeEach
    void createPki() throws IOException {
        openssl = new OpenSsl(dir);
        pki = TestPki.create("Test CA");
        tsa = new TimestampAuthority(pki.issue("Test TSA", CertificateProfile.TSA), POLICY);
        TestPki.writePem(dir.resolve("ca.pem"), pki.caCertificate());
        TestPki.writePem(dir.resolve("tsa.pem"), tsa.certificate());
        Files.writeString(dir.resolve("file.txt"), "a document worth proving the age of\n");
    }

    @Test
    void stampsASha256QueryThatOpensslVerifies() throws IOException {
        answer(query("-sha256", "-cert"));

        OpenSsl.Result result = verify("-queryfile", "q.tsq");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Verification: OK");
    }

    @Test
    void stampsSha384AndSha512Queries() throws IOException {
        for (String digest : new String[] {"-sha384", "-sha512"}) {
            answer(query(digest, "-cert"));

            OpenSsl.Result result = verify("-queryfile", "q.tsq");

            assertThat(result.output()).as("%s", result).contains("Verification: OK");
        }
    }

    @Test
    void stampedTokenDoesNotVerifyForChangedData() throws IOException {
        answer(query("-sha256", "-cert"));
        Files.writeString(dir.resolve("changed.txt"), "a document someone edited afterwards\n");

        OpenSsl.Result result = verify("-data", "changed.txt");

        assertThat(result.exitCode()).as("%s", result).isNotZero();
        assertThat(result.output()).contains("message imprint mismatch", "Verification: FAILED");
    }

    @Test
    void signsWithAnEcKey() throws IOException {
        tsa = new TimestampAuthority(pki.issue("EC TSA", CertificateProfile.TSA, KeyAlgorithm.EC), POLICY);
        TestPki.writePem(dir.resolve("tsa.pem"), tsa.certificate());
        answer(query("-sha256", "-cert"));

        OpenSsl.Result result = verify("-queryfile", "q.tsq");

        assertThat(result.output()).as("%s", result).contains("Verification: OK");
    }

    @Test
    void namesPolicyAccuracyAndSigningCertificateV2() throws Exception {
        TimeStampToken token = granted(answer(query("-sha256", "-cert")));

        assertThat(token.getTimeStampInfo().getPolicy().getId()).isEqualTo(POLICY);
        assertThat(token.getTimeStampInfo().getGenTimeAccuracy().getSeconds()).isEqualTo(1);
        assertThat(token.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2))
                .isNotNull();
        assertThat(token.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificate))
                .isNull();
    }

    @Test
    void includesTheChainOnlyWhenTheRequestAsksForIt() throws Exception {
        TimeStampToken withCerts = granted(answer(query("-sha256", "-cert")));
        TimeStampToken withoutCerts = granted(answer(query("-sha256")));

        assertThat(withCerts.getCertificates().getMatches(null)).hasSize(2);
        assertThat(withoutCerts.getCertificates().getMatches(null)).isEmpty();
        assertThat(verify("-queryfile", "q.tsq").output()).contains("Verification: OK");
    }

    @Test
    void rejectsASha1Query() throws IOException {
        answer(query("-sha1", "-cert"));

        OpenSsl.Result result = openssl.run("ts", "-reply", "-in", "r.tsr", "-text");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("Status: Rejected", "unrecognized or unsupported algorithm identifier");
    }

    @Test
    void rejectsAQueryForAnotherPolicy() throws IOException {
        answer(query("-sha256", "-tspolicy", "1.3.6.1.4.1.99999.1.2"));

        OpenSsl.Result result = openssl.run("ts", "-reply", "-in", "r.tsr", "-text");

        assertThat(result.output()).as("%s", result).contains("Status: Rejected", "TSA policy is not supported");
    }

    @Test
    void rejectsGarbageAsBadDataFormat() throws Exception {
        byte[][] garbage = {
            {}, "not a request".getBytes(), {0x30, 0x03, 0x02, 0x01}, {0x30, (byte) 0x84, 0x7f, 0x7f, 0x7f}
        };
        for (byte[] bytes : garbage) {
            TimeStampResponse response = new TimeStampResponse(tsa.respond(bytes));

            assertThat(response.getStatus()).isEqualTo(PKIStatus.REJECTION);
            assertThat(response.getFailInfo().intValue()).isEqualTo(PKIFailureInfo.badDataFormat);
            assertThat(response.getTimeStampToken()).isNull();
        }
    }

    @Test
    void givesEachTokenANewLargerSerialNumber() throws Exception {
        byte[] request = query("-sha256", "-cert");
        BigInteger first = granted(tsa.respond(request)).getTimeStampInfo().getSerialNumber();
        BigInteger second = granted(tsa.respond(request)).getTimeStampInfo().getSerialNumber();

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void givesConcurrentRequestsDistinctSerialNumbers() throws Exception {
        byte[] request = query("-sha256");
        List<BigInteger> serials = IntStream.range(0, 64)
                .parallel()
                .mapToObj(i -> serialOf(tsa.respond(request)))
                .collect(Collectors.toList());

        assertThat(serials).doesNotHaveDuplicates().hasSize(64);
    }

    @Test
    void refusesACertificateNotForTimestamping() {
        KeyAndChain signer = pki.issue("Just A Member", CertificateProfile.SIGN);

        assertThatThrownBy(() -> new TimestampAuthority(signer, POLICY)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Has openssl write a query for file.txt to q.tsq. */
    private byte[] query(String... options) throws IOException {
        String[] args = {"ts", "-query", "-data", "file.txt", "-out", "q.tsq"};
        OpenSsl.Result result = openssl.run(concat(args, options));
        assertThat(result.exitCode()).as("%s", result).isZero();
        return Files.readAllBytes(dir.resolve("q.tsq"));
    }

    /** Answers the query and saves the reply to r.tsr. */
    private byte[] answer(byte[] query) throws IOException {
        byte[] reply = tsa.respond(query);
        Files.write(dir.resolve("r.tsr"), reply);
        return reply;
    }

    /** Has openssl verify r.tsr against the CA, with the TSA certificate supplied as untrusted. */
    private OpenSsl.Result verify(String... against) {
        String[] args = {"ts", "-verify", "-in", "r.tsr", "-CAfile", "ca.pem", "-untrusted", "tsa.pem"};
        return openssl.run(concat(args, against));
    }

    private static TimeStampToken granted(byte[] reply) throws Exception {
        TimeStampResponse response = new TimeStampResponse(reply);
        assertThat(response.getStatus()).as(response.getStatusString()).isEqualTo(PKIStatus.GRANTED);
        return response.getTimeStampToken();
    }

    private static BigInteger serialOf(byte[] reply) {
        try {
            return granted(reply).getTimeStampInfo().getSerialNumber();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
