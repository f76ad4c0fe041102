package vn.truc.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static vn.truc.core.message.MessageSignaturesTest.MANIFEST;
import static vn.truc.core.message.MessageSignaturesTest.PKI;
import static vn.truc.core.message.MessageSignaturesTest.ocspResponse;
import static vn.truc.core.message.MessageSignaturesTest.signer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.testing.Processes;

/** The independent judge: OpenSSL verifies our message signatures as an auditor would, offline. */
class MessageSignaturesOpensslTest {
    /**
     * What an auditor runs. OpenSSL's default purpose (S/MIME signing) accepts a sign certificate:
     * it has no extended key usage and its key usage includes digitalSignature and nonRepudiation.
     */
    private static final String OPENSSL_VERIFY = "openssl cms -verify -binary -inform DER -out /dev/null";

    /** $1 the directory, $2 the message, $3 its path: the commands docs/audit.md gives. */
    private static final String WALK = String.join(
            "\n",
            "set -euo pipefail; cd \"$1\"",
            "bin() { printf \"$(echo -n \"$1\" | sed 's/../\\\\x&/g')\"; }",
            "h=$( (printf '\\000'; cat \"$2\") | sha256sum | cut -c1-64)",
            "for step in ${3//,/ }; do x=${step#?:}",
            "  case $step in L:*) h=$( (printf '\\001'; bin \"$x$h\") | sha256sum | cut -c1-64) ;;",
            "                R:*) h=$( (printf '\\001'; bin \"$h$x\") | sha256sum | cut -c1-64) ;; esac",
            "done",
            "printf '{\"signatureBatchRoot\":\"%s\"}' \"$h\" > batch.json",
            "openssl cms -verify -binary -inform DER -in signature.p7s -content batch.json -CAfile ca.pem -out /dev/null");

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesOurSignatureAndRefusesAChangedManifest(KeyAlgorithm algorithm, @TempDir Path dir)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed by .ci/run");
        KeyAndChain signer = signer(algorithm);
        byte[] ocsp = ocspResponse(signer.certificate(), OCSPRespBuilder.SUCCESSFUL);
        Path cms = Files.write(dir.resolve("cms.der"), MessageSignatures.sign(MANIFEST, signer, ocsp));
        Path manifest = Files.write(dir.resolve("manifest.bin"), MANIFEST);
        byte[] changedBytes = MANIFEST.clone();
        changedBytes[changedBytes.length / 2] ^= 1;
        Path changed = Files.write(dir.resolve("changed.bin"), changedBytes);
        Path ca = Files.writeString(dir.resolve("ca.pem"), Certificates.toPem(PKI.caCertificate()));

        Processes.Result ok = opensslVerify(cms, manifest, ca);
        Processes.Result refused = opensslVerify(cms, changed, ca);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Verification successful");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    /**
     * The auditor's check of a batch signature, with OpenSSL and the shell alone: walk the path
     * from the message to the root (as for the log's timestamps), write the batch content naming
     * that root, and verify the CMS over it.
     */
    @Test
    void opensslVerifiesABatchSignatureOverTheRootItsPathLeadsTo(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed by .ci/run");
        KeyAndChain signer = signer(KeyAlgorithm.RSA);
        List<byte[]> contents = BatchSignaturesTest.contents(5);
        byte[] cms = MessageSignatures.signEach(contents, signer, null).get(3);
        Path signature = Files.write(dir.resolve("signature.p7s"), cms);
        Files.write(dir.resolve("message.json"), contents.get(3));
        Files.write(dir.resolve("other.json"), contents.get(2));
        Path ca = Files.writeString(dir.resolve("ca.pem"), Certificates.toPem(PKI.caCertificate()));
        Processes.Result printed = Processes.run(
                List.of("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", signature.toString()));
        String path = BatchSignaturesTest.pathOf(cms);
        assertThat(printed.output()).as("openssl shows the path").contains(path);

        Processes.Result ok = Processes.run(List.of("bash", "-c", WALK, "walk", dir.toString(), "message.json", path));
        Processes.Result refused =
                Processes.run(List.of("bash", "-c", WALK, "walk", dir.toString(), "other.json", path));

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Verification successful");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    private static Processes.Result opensslVerify(Path cms, Path content, Path ca) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSSL_VERIFY.split(" ")));
        command.addAll(List.of("-in", cms.toString(), "-content", content.toString(), "-CAfile", ca.toString()));
        return Processes.run(command);
    }
}
