package vn.truc.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.Processes;

class XmlSignaturesTest {
    private static final String XML =
            "<c:conf xmlns:c=\"urn:test\"><c:member id=\"VN/GOV/000.00.00.G22\">Văn phòng Chính phủ</c:member></c:conf>";

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifiesWhatItSigned(KeyAlgorithm algorithm) {
        KeyPair keys = KeyPairs.generate(algorithm);
        byte[] signed = sign(keys);
        XmlSignatures.verifyEnveloped(SecureXml.parse(signed, "t"), keys.getPublic(), "t");
    }

    @Test
    void refusesOneChangedByte() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        String signed = new String(sign(keys), StandardCharsets.UTF_8).replace("G22", "G23");
        assertRefused(signed.getBytes(StandardCharsets.UTF_8), keys, "content was changed");
    }

    @Test
    void refusesAnotherSigner() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        byte[] signed = sign(KeyPairs.generate(KeyAlgorithm.RSA));
        assertRefused(signed, keys, "does not verify with the trusted key");
    }

    @Test
    void refusesUnsignedDocument() {
        assertRefused(XML.getBytes(StandardCharsets.UTF_8), KeyPairs.generate(KeyAlgorithm.RSA), "found 0");
    }

    @Test
    void refusesSignatureWrappedAwayFromTheDocumentElement() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        Document doc = SecureXml.parse(sign(keys), "t");
        Element signature = (Element) doc.getDocumentElement().getLastChild();
        Element wrapper = doc.createElementNS("urn:test", "c:wrapper");
        doc.getDocumentElement().appendChild(wrapper);
        wrapper.appendChild(signature);
        assertRefused(SecureXml.toBytes(doc), keys, "child of the document element");
    }

    @Test
    void refusesReferenceToAPartOfTheDocument() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        String signed = new String(sign(keys), StandardCharsets.UTF_8).replace("URI=\"\"", "URI=\"#other\"");
        assertRefused(signed.getBytes(StandardCharsets.UTF_8), keys, "must cover the whole document");
    }

    @Test
    void independentXmlsec1VerifiesOurSignatureAndRefusesAChangedByte(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xmlsec1")), "xmlsec1 is installed by .ci/run");
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        var cert = Certificates.selfSigned(
                keys, new X500Name("CN=signer"), Duration.ofDays(1), CertificateProfile.CONF_SIGNING);
        Path pem = Files.writeString(dir.resolve("signer.pem"), Certificates.toPem(cert));
        Path good = Files.write(dir.resolve("good.xml"), sign(keys));
        Path bad =
                Files.writeString(dir.resolve("bad.xml"), Files.readString(good).replace("G22", "G23"));

        var ok = xmlsec1(pem, good);
        var refused = xmlsec1(pem, bad);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    private static Processes.Result xmlsec1(Path pem, Path xml) throws Exception {
        return Processes.run(List.of(
                "xmlsec1",
                "--verify",
                "--pubkey-cert-pem",
                pem.toString(),
                "--enabled-reference-uris",
                "empty",
                xml.toString()));
    }

    private static byte[] sign(KeyPair keys) {
        Document doc = SecureXml.parse(XML.getBytes(StandardCharsets.UTF_8), "t");
        XmlSignatures.signEnveloped(doc, keys.getPrivate());
        return SecureXml.toBytes(doc);
    }

    private static void assertRefused(byte[] xml, KeyPair keys, String reason) {
        assertThatThrownBy(() -> XmlSignatures.verifyEnveloped(SecureXml.parse(xml, "t"), keys.getPublic(), "t"))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }
}
