package vn.truc.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.message.MessageSignaturesTest.ocspResponse;
import static vn.truc.core.message.MessageSignaturesTest.signer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.audit.MerkleTree;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

/** One private-key operation for many messages: {@link MessageSignatures#signEach} and {@link BatchSigner}. */
class BatchSignaturesTest {
    private static final KeyAndChain RSA = signer(KeyAlgorithm.RSA);

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void eachSignatureOfABatchVerifiesAgainstItsOwnContentOnly(KeyAlgorithm algorithm) throws Exception {
        KeyAndChain signer = signer(algorithm);
        byte[] ocsp = ocspResponse(signer.certificate(), OCSPRespBuilder.SUCCESSFUL);
        List<byte[]> contents = contents(5);

        List<byte[]> signatures = MessageSignatures.signEach(contents, signer, ocsp);

        assertThat(signatures).hasSize(5);
        for (int i = 0; i < contents.size(); i++) {
            VerifiedSignature verified = MessageSignatures.verify(signatures.get(i), contents.get(i));
            assertThat(verified.signer()).isEqualTo(signer.certificate());
            assertThat(verified.ocspResponseDer()).isEqualTo(ocsp);
            int other = (i + 1) % contents.size();
            assertRefused(signatures.get(i), contents.get(other), "does not verify");
        }
        // one signature value, shared: the RSA or ECDSA operation was made once
        assertThat(signatures.stream().map(BatchSignaturesTest::signatureValue).distinct())
                .hasSize(1);
    }

    @Test
    void aBatchOfOneIsAPlainSignatureWithNoPath() throws Exception {
        byte[] content = contents(1).get(0);

        byte[] cms = MessageSignatures.signEach(List.of(content), RSA, null).get(0);

        assertThat(signerInfo(cms).getUnsignedAttributes()).isNull();
        assertThat(MessageSignatures.verify(cms, content).signer()).isEqualTo(RSA.certificate());
    }

    @Test
    void aChangedPathLeadsToAnotherRootAndIsRefused() throws Exception {
        List<byte[]> contents = contents(4);
        byte[] cms = MessageSignatures.signEach(contents, RSA, null).get(2);
        String path = pathOf(cms);
        char first = path.charAt(2);
        String changed = path.substring(0, 2) + (first == '0' ? '1' : '0') + path.substring(3);

        assertRefused(withPathValues(cms, new DERUTF8String(changed)), contents.get(2), "does not verify");
        // another content's path does not fit this content either
        String otherPath =
                pathOf(MessageSignatures.signEach(contents, RSA, null).get(1));
        assertRefused(withPathValues(cms, new DERUTF8String(otherPath)), contents.get(2), "does not verify");
    }

    @Test
    void refusesMalformedPaths() {
        List<byte[]> contents = contents(2);
        byte[] cms = MessageSignatures.signEach(contents, RSA, null).get(0);

        assertRefused(
                withPathValues(cms, new DERUTF8String("X:00")), contents.get(0), "batch signature's path is malformed");
        assertRefused(withPathValues(cms, new DERUTF8String("")), contents.get(0), "has 0 steps");
        assertRefused(
                withPathValues(cms, new DERUTF8String(pathOf(cms)), new DERUTF8String(pathOf(cms))),
                contents.get(0),
                "not one UTF8String");
    }

    @Test
    void aBatchsOwnContentIsNotAMessage() {
        List<byte[]> contents = contents(2);
        byte[] cms = MessageSignatures.signEach(contents, RSA, null).get(0);
        byte[] root = MerkleTree.root(contents);

        // the signature without its path, presented with what it really signs
        assertRefused(withoutPath(cms), MessageSignatures.batchContent(root), "its signature needs a path");
    }

    @Test
    void aBatchContentIsTheRootInJson() {
        byte[] root = new byte[32];
        root[31] = 1;
        assertThat(new String(MessageSignatures.batchContent(root), StandardCharsets.UTF_8))
                .isEqualTo("{\"signatureBatchRoot\":\"" + "0".repeat(62) + "01\"}");
    }

    @Test
    void contentsQueuedBehindASignerGoInOneSignatureUpToTheBatchSize() throws Exception {
        BatchSigner signer = new BatchSigner(RSA, 4);
        List<byte[]> contents = contents(10);
        ExecutorService callers = Executors.newFixedThreadPool(10);
        List<Future<byte[]>> answers = new ArrayList<>();
        signer.signing.lock();
        try {
            for (byte[] content : contents) {
                answers.add(callers.submit(() -> signer.sign(content, null)));
            }
            while (signer.waiting.size() < 10) {
                Thread.sleep(5);
            }
        } finally {
            signer.signing.unlock();
        }
        for (int i = 0; i < contents.size(); i++) {
            MessageSignatures.verify(answers.get(i).get(30, TimeUnit.SECONDS), contents.get(i));
        }
        callers.shutdown();

        assertThat(signer.signed()).isEqualTo(10);
        assertThat(signer.signatures()).isEqualTo(3); // 4 + 4 + 2
    }

    @Test
    void anIdleSignerSignsAloneWithAPlainSignature() throws Exception {
        BatchSigner signer = new BatchSigner(RSA, 64);
        byte[] content = contents(1).get(0);

        byte[] cms = signer.sign(content, null);

        assertThat(signerInfo(cms).getUnsignedAttributes()).isNull();
        assertThat(signer.signatures()).isEqualTo(1);
    }

    @Test
    void aFailedSignatureFailsEveryCallerOfItsBatchWithTheReason() throws Exception {
        BatchSigner signer = new BatchSigner(RSA, 8);
        byte[] notOcsp = "not an OCSP response".getBytes(StandardCharsets.UTF_8);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        List<Future<byte[]>> answers = new ArrayList<>();
        signer.signing.lock();
        try {
            for (byte[] content : contents(3)) {
                answers.add(callers.submit(() -> signer.sign(content, notOcsp)));
            }
            while (signer.waiting.size() < 3) {
                Thread.sleep(5);
            }
        } finally {
            signer.signing.unlock();
        }
        for (Future<byte[]> answer : answers) {
            assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(TrucException.class)
                    .hasMessageContaining("OCSP response not usable");
        }
        callers.shutdown();
        assertThat(signer.signatures()).isZero();
    }

    @Test
    void refusesBatchSizesOutsideItsLimits() {
        assertThatThrownBy(() -> new BatchSigner(RSA, 0)).hasMessageContaining("maxBatch must be 1 to 1024");
        assertThatThrownBy(() -> MessageSignatures.signEach(List.of(), RSA, null))
                .hasMessageContaining("a batch holds 1 to 1024 contents, not 0");
    }

    static List<byte[]> contents(int n) {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contents.add(("{\"message\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        return contents;
    }

    static String pathOf(byte[] cms) {
        Attribute attribute = signerInfo(cms).getUnsignedAttributes().get(MessageSignatures.BATCH_PATH);
        return ((DERUTF8String) attribute.getAttrValues().getObjectAt(0)).getString();
    }

    private static String signatureValue(byte[] cms) {
        return HexFormat.of().formatHex(signerInfo(cms).getSignature());
    }

    private static SignerInformation signerInfo(byte[] cms) {
        try {
            return new CMSSignedData(cms)
                    .getSignerInfos()
                    .getSigners()
                    .iterator()
                    .next();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] withPathValues(byte[] cms, ASN1Encodable... values) {
        return withUnsigned(cms, new AttributeTable(new Attribute(MessageSignatures.BATCH_PATH, new DERSet(values))));
    }

    private static byte[] withoutPath(byte[] cms) {
        return withUnsigned(cms, null);
    }

    private static byte[] withUnsigned(byte[] cms, AttributeTable unsigned) {
        try {
            CMSSignedData signed = new CMSSignedData(cms);
            SignerInformation replaced = SignerInformation.replaceUnsignedAttributes(signerInfo(cms), unsigned);
            return CMSSignedData.replaceSigners(signed, new SignerInformationStore(replaced))
                    .getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(byte[] cms, byte[] content, String reason) {
        assertThatThrownBy(() -> MessageSignatures.verify(cms, content))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }
}
