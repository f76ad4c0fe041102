package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.testing.Processes;

/** The independent judge: OpenSSL verifies a delivery receipt as the sender's auditor would, offline. */
class ReceiptsOpensslTest {
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesAReceiptAndRefusesAChangedOne(KeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed by .ci/run");
        DeliveryReceipt delivered = DeliveryReceiptTest.delivered();
        byte[] cms = Receipts.sign(delivered, DocumentPki.signer(algorithm, DocumentPki.H41), null);
        Path signature = Files.write(dir.resolve("receipt.cms"), cms);
        Path receipt = Files.write(dir.resolve("receipt.json"), delivered.toBytes());
        Path changed = Files.write(
                dir.resolve("changed.json"), DeliveryReceiptTest.refused(null).toBytes());
        Path ca = Files.writeString(dir.resolve("ca.pem"), Certificates.toPem(DocumentPki.PKI.caCertificate()));

        Processes.Result ok = opensslVerify(signature, receipt, ca);
        Processes.Result refused = opensslVerify(signature, changed, ca);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Verification successful");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    private static Processes.Result opensslVerify(Path cms, Path content, Path ca) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER"));
        command.addAll(List.of("-in", cms.toString(), "-content", content.toString(), "-CAfile", ca.toString()));
        command.addAll(List.of("-out", "/dev/null"));
        return Processes.run(command);
    }
}
