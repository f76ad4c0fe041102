package vn.truc.server.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.server.globalconf.TestBed.FEDERATION;
import static vn.truc.server.globalconf.TestBed.assertAcceptedNothing;
import static vn.truc.server.globalconf.TestBed.assertKeeps;
import static vn.truc.server.globalconf.TestBed.assertRejected;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.globalconf.GlobalConf;

/** What {@link GlobalConfClient#refresh()} accepts: signed by the anchor, for its instance, fresh. */
class GlobalConfClientTest {
    @TempDir
    Path dir;

    private TestBed bed;

    @BeforeEach
    void setUp() {
        bed = new TestBed(dir);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void acceptsValidConfAndWritesItToDiskByteIdentical() {
        byte[] signed = bed.signed(1);
        bed.registry.serve(signed);
        GlobalConfClient client = bed.newClient();

        GlobalConf conf = client.refresh();

        assertThat(conf.serial()).isEqualTo(1);
        assertThat(conf.members()).singleElement().satisfies(m -> assertThat(m.name())
                .isEqualTo(TestFederation.MEMBER_NAME));
        assertThat(client.current()).contains(conf);
        assertThat(client.requireValid()).isEqualTo(conf);
        assertThat(client.file()).isEqualTo(dir.resolve("globalconf.xml"));
        assertThat(TestBed.read(client.file())).isEqualTo(signed);
    }

    @Test
    void rejectsTamperedConfWithInvalidSignatureAndKeepsPreviousCopy() {
        byte[] first = bed.accepted(1);
        bed.registry.serve(TestFederation.replace(bed.signed(2), TestFederation.MEMBER_NAME, "Government Offica"));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.INVALID_SIGNATURE).hasMessageContaining("content was changed");
        assertKeeps(client, 1, first);
    }

    @Test
    void rejectsConfigurationSignedByAnotherKey() {
        GlobalConf conf = TestFederation.conf(1, bed.clock.instant());
        bed.registry.serve(TestFederation.signWith(conf, KeyPairs.generate(KeyAlgorithm.RSA)));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.INVALID_SIGNATURE).hasMessageContaining("wrong signer");
        assertAcceptedNothing(client);
    }

    @Test
    void rejectsConfForAnotherInstance() {
        Instant now = bed.clock.instant();
        bed.registry.serve(FEDERATION.sign(TestFederation.conf("LA", 1, now, now.plus(Duration.ofHours(1)))));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.INVALID_SIGNATURE).hasMessageContaining("instance 'LA'");
        assertAcceptedNothing(client);
    }

    @Test
    void rejectsExpiredConf() {
        Instant now = bed.clock.instant();
        bed.registry.serve(
                FEDERATION.sign(TestFederation.conf("VN", 1, now.minus(Duration.ofHours(2)), now.minusSeconds(1))));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.CONF_EXPIRED).hasMessageContaining("expired at");
        assertAcceptedNothing(client);
    }

    @Test
    void rejectsReplayedOlderSerialAfterNewerOneWasAccepted() {
        byte[] older = bed.signed(4);
        byte[] newer = bed.accepted(5);
        GlobalConfClient client = bed.newClient();
        bed.registry.serve(older);

        assertRejected(client, ErrorCode.CONF_OUTDATED)
                .hasMessageContaining("replayed or older configuration: serial 4, we hold 5");
        assertKeeps(client, 5, newer);
    }

    @Test
    void rejectsSameSerialWithDifferentBytes() {
        byte[] held = bed.accepted(7);
        GlobalConfClient client = bed.newClient();
        bed.clock.advance(Duration.ofMinutes(1));
        bed.registry.serve(bed.signed(7));

        assertRejected(client, ErrorCode.CONF_OUTDATED).hasMessageContaining("never reuses a serial");
        assertKeeps(client, 7, held);
    }

    @Test
    void acceptsTheSameCopyAgainWithoutComplaint() {
        byte[] held = bed.accepted(3);
        GlobalConfClient client = bed.newClient();

        assertThat(client.refresh().serial()).isEqualTo(3);
        assertThat(client.status().lastError()).isNull();
        assertThat(TestBed.read(client.file())).isEqualTo(held);
    }

    @Test
    void rejectsConfGeneratedMoreThanFiveMinutesInTheFuture() {
        Instant ahead = bed.clock.instant().plus(Duration.ofMinutes(6));
        bed.registry.serve(FEDERATION.sign(TestFederation.conf("VN", 1, ahead, ahead.plus(Duration.ofHours(1)))));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.CONF_OUTDATED).hasMessageContaining("ahead of this server's clock");
        assertAcceptedNothing(client);
    }

    @Test
    void toleratesClockSkewOfLessThanFiveMinutes() {
        Instant ahead = bed.clock.instant().plus(Duration.ofMinutes(4));
        bed.registry.serve(FEDERATION.sign(TestFederation.conf("VN", 1, ahead, ahead.plus(Duration.ofHours(1)))));

        assertThat(bed.newClient().refresh().serial()).isEqualTo(1);
    }

    @Test
    void rejectsDoctypeWithExternalEntityAsHostileXml() {
        Instant now = bed.clock.instant();
        bed.registry.serve(("<?xml version=\"1.0\"?>\n"
                        + "<!DOCTYPE globalConf [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
                        + "<globalConf xmlns=\"urn:truc:globalconf:1\" instance=\"VN\" serial=\"9\""
                        + " generatedAt=\"" + now + "\" expiresAt=\"" + now.plus(Duration.ofHours(1)) + "\">"
                        + "<member id=\"VN/GOV/000.00.00.G22\" name=\"&secret;\"/></globalConf>")
                .getBytes(StandardCharsets.UTF_8));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.HOSTILE_XML).message().doesNotContain("root:");
        assertAcceptedNothing(client);
    }

    @Test
    void rejectsBillionLaughsAsHostileXml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            xml.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10))
                    .append("\">\n");
        }
        xml.append("]>\n<globalConf xmlns=\"urn:truc:globalconf:1\">&lol9;</globalConf>");
        bed.registry.serve(xml.toString().getBytes(StandardCharsets.UTF_8));
        GlobalConfClient client = bed.newClient();

        assertRejected(client, ErrorCode.HOSTILE_XML);
        assertAcceptedNothing(client);
    }
}
