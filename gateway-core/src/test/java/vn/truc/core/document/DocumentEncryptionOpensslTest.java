package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.crypto.Pem;
import vn.truc.core.testing.Processes;

/** The independent judge: OpenSSL 3 opens our envelopes, and we open OpenSSL's. */
class DocumentEncryptionOpensslTest {
    private static final byte[] DOCUMENT = DocumentEncryptionTest.random(2 * 1024 * 1024 + 5);

    @TempDir
    Path dir;

    @BeforeEach
    void requireOpenssl() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed by .ci/run");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslDecryptsWhatWeEncrypt(KeyAlgorithm algorithm) throws Exception {
        KeyAndChain recipient = DocumentPki.recipient(algorithm, DocumentPki.H41);
        KeyAndChain other = DocumentPki.recipient(KeyAlgorithm.RSA, DocumentPki.G22);
        Path cms = dir.resolve("document.cms");
        try (OutputStream out = Files.newOutputStream(cms)) {
            var recipients = List.of(other.certificate(), recipient.certificate());
            DocumentEncryption.encrypt(new ByteArrayInputStream(DOCUMENT), out, recipients);
        }

        Processes.Result result = opensslDecrypt(cms, recipient);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("plain.bin"))).isEqualTo(DOCUMENT);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslRefusesAChangedCiphertext(KeyAlgorithm algorithm) throws Exception {
        KeyAndChain recipient = DocumentPki.recipient(algorithm, DocumentPki.H41);
        byte[] cms = DocumentEncryptionTest.encrypt(DOCUMENT, recipient.certificate());
        cms[cms.length / 2] ^= 1;

        Processes.Result result = opensslDecrypt(Files.write(dir.resolve("document.cms"), cms), recipient);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void weDecryptWhatOpensslEncryptsForOurKeyIdentifier(KeyAlgorithm algorithm) throws Exception {
        KeyAndChain recipient = DocumentPki.recipient(algorithm, DocumentPki.H41);
        Path plain = Files.write(dir.resolve("document.bin"), DOCUMENT);
        Path cert = Files.writeString(dir.resolve("recip.pem"), Certificates.toPem(recipient.certificate()));
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-aes-256-gcm", "-binary"));
        command.addAll(List.of("-outform", "DER", "-in", plain.toString(), "-out", dir + "/document.cms"));
        command.addAll(List.of("-keyid", "-recip", cert.toString())); // names the recipient by key identifier
        if (algorithm == KeyAlgorithm.RSA) {
            command.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
            command.addAll(List.of("-keyopt", "rsa_mgf1_md:sha256"));
        } else {
            command.addAll(List.of("-keyopt", "ecdh_kdf_md:sha256"));
        }

        Processes.Result result = Processes.run(command);

        assertThat(result.exitCode()).as(result.output()).isZero();
        try (InputStream in = Files.newInputStream(dir.resolve("document.cms"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DocumentEncryption.decrypt(in, out, recipient);
            assertThat(out.toByteArray()).isEqualTo(DOCUMENT);
        }
    }

    private Processes.Result opensslDecrypt(Path cms, KeyAndChain recipient) throws Exception {
        Path cert = Files.writeString(dir.resolve("recip.pem"), Certificates.toPem(recipient.certificate()));
        String pkcs8 = Pem.write(new JcaPKCS8Generator(recipient.privateKey(), null));
        Path key = Files.writeString(dir.resolve("recip.key"), pkcs8);
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-decrypt", "-inform", "DER"));
        command.addAll(List.of("-in", cms.toString(), "-recip", cert.toString(), "-inkey", key.toString()));
        command.addAll(List.of("-out", dir.resolve("plain.bin").toString()));
        return Processes.run(command);
    }
}
