package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.ServiceId;

/** Access rules and the access decision on a real H2 file database. */
class AccessRulesIT {
    private static final ClientId H41_DMS = ClientId.parse("VN/GOV/000.00.00.H41/DMS");
    private static final ServiceId GET_DOCUMENT = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");
    private static final ServiceId LIST_DOCUMENTS = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/listDocuments");
    private static final ClientId G22_DMS = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ClientId G22_HR = ClientId.parse("VN/GOV/000.00.00.G22/HR");
    private static final ClientId H29_DMS = ClientId.parse("VN/GOV/000.00.00.H29/DMS");
    private static final GlobalGroupId PROVINCES = GlobalGroupId.parse("VN/provinces");
    private static final GlobalConf NO_GROUPS = StoreTesting.confWith();

    @TempDir
    Path dir;

    private ServerStore store;
    private AccessRules rules;

    @BeforeEach
    void open() {
        store = StoreTesting.open(dir);
        rules = store.accessRules();
        store.services().addService(GET_DOCUMENT, URI.create("http://127.0.0.1:9000/docs"), Protocol.REST);
        store.services().addService(LIST_DOCUMENTS, URI.create("http://127.0.0.1:9000/list"), Protocol.REST);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void allowsASubsystemItWasGrantedTo() {
        Instant before = Instant.now().minusSeconds(1);
        AccessRule granted = rules.grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS));

        assertThat(granted.grantedAt()).isAfter(before);
        assertThat(rules.rules(GET_DOCUMENT)).containsExactly(granted);
        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, NO_GROUPS)).isTrue();
        assertThat(rules.isAllowed(G22_HR, GET_DOCUMENT, NO_GROUPS)).isFalse();
        assertThat(rules.isAllowed(G22_DMS.memberId(), GET_DOCUMENT, NO_GROUPS)).isFalse();
        assertThat(rules.isAllowed(G22_DMS, LIST_DOCUMENTS, NO_GROUPS)).isFalse();
    }

    @Test
    void deniesWhatWasNeverGranted() {
        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, NO_GROUPS)).isFalse();
        assertThat(rules.isAllowed(G22_DMS, ServiceId.parse("VN/GOV/000.00.00.H41/DMS/unknown"), NO_GROUPS))
                .isFalse();
    }

    @Test
    void allowsMembersOfALocalGroup() {
        store.localGroups().addLocalGroup("partners", "Đối tác");
        store.localGroups().addLocalGroupMember("partners", G22_DMS);
        store.localGroups().addLocalGroupMember("partners", H29_DMS.memberId());
        rules.grant(GET_DOCUMENT, AccessSubject.parse("local:partners"));

        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, NO_GROUPS)).isTrue();
        assertThat(rules.isAllowed(H29_DMS, GET_DOCUMENT, NO_GROUPS))
                .as("a member entry holds its subsystems")
                .isTrue();
        assertThat(rules.isAllowed(G22_HR, GET_DOCUMENT, NO_GROUPS)).isFalse();
    }

    @Test
    void allowsMembersOfAGlobalGroup() {
        rules.grant(GET_DOCUMENT, AccessSubject.parse("global:VN/provinces"));
        GlobalConf conf = StoreTesting.confWith(
                new GlobalConf.GlobalGroup(PROVINCES, "Tỉnh", List.of(H29_DMS.memberId(), G22_DMS)),
                new GlobalConf.GlobalGroup(GlobalGroupId.parse("VN/others"), "x", List.of(G22_HR)));

        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, conf)).isTrue();
        assertThat(rules.isAllowed(H29_DMS, GET_DOCUMENT, conf))
                .as("a member entry holds its subsystems")
                .isTrue();
        assertThat(rules.isAllowed(G22_HR, GET_DOCUMENT, conf)).isFalse();
        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, NO_GROUPS))
                .as("the group is not in this configuration")
                .isFalse();
        GlobalConf otherInstance = StoreTesting.confWith(
                new GlobalConf.GlobalGroup(GlobalGroupId.parse("EE/provinces"), "x", List.of(G22_DMS)));
        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, otherInstance)).isFalse();
    }

    @Test
    void deniesOnceRevoked() {
        AccessSubject subsystem = new AccessSubject.Subsystem(G22_DMS);
        rules.grant(GET_DOCUMENT, subsystem);
        rules.grant(LIST_DOCUMENTS, subsystem);

        rules.revoke(GET_DOCUMENT, subsystem);

        assertThat(rules.isAllowed(G22_DMS, GET_DOCUMENT, NO_GROUPS)).isFalse();
        assertThat(rules.isAllowed(G22_DMS, LIST_DOCUMENTS, NO_GROUPS)).isTrue();
        assertThat(rules.rules(GET_DOCUMENT)).isEmpty();
    }

    @Test
    void revokingWhatWasNotGrantedIsNotFound() {
        rules.grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS));

        assertThatThrownBy(() -> rules.revoke(GET_DOCUMENT, AccessSubject.parse("global:VN/provinces")))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("global:VN/provinces has no access right to " + GET_DOCUMENT);
        assertThatThrownBy(() -> rules.revoke(LIST_DOCUMENTS, new AccessSubject.Subsystem(G22_DMS)))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void refusesAGrantTwiceOrToWhatDoesNotExist() {
        rules.grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS));

        assertThatThrownBy(() -> rules.grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS)))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        ServiceId unknown = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/unknown");
        assertThatThrownBy(() -> rules.grant(unknown, new AccessSubject.Subsystem(G22_DMS)))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no service " + unknown);
        assertThatThrownBy(() -> rules.grant(GET_DOCUMENT, AccessSubject.parse("local:nobody")))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no local group nobody");
        assertThatThrownBy(() -> rules.rules(unknown))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void listsRulesOfEveryKindAndReadsThemBack() {
        store.localGroups().addLocalGroup("partners", "x");
        rules.grant(LIST_DOCUMENTS, AccessSubject.parse("global:VN/provinces"));
        rules.grant(GET_DOCUMENT, AccessSubject.parse(G22_DMS.toString()));
        rules.grant(GET_DOCUMENT, AccessSubject.parse("local:partners"));
        rules.grant(GET_DOCUMENT, AccessSubject.parse("global:VN/provinces"));

        assertThat(rules.rules(GET_DOCUMENT))
                .extracting(r -> r.subject().toString())
                .containsExactly(G22_DMS.toString(), "local:partners", "global:VN/provinces");
        assertThat(rules.allRules())
                .extracting(r -> r.service() + " " + r.subject())
                .containsExactly(
                        GET_DOCUMENT + " " + G22_DMS,
                        GET_DOCUMENT + " local:partners",
                        GET_DOCUMENT + " global:VN/provinces",
                        LIST_DOCUMENTS + " global:VN/provinces");
    }

    @Test
    void allowedServicesAreThoseAnyRuleLetsTheClientCall() {
        ServiceId otherProvider = ServiceId.parse("VN/GOV/000.00.00.H41/HR/getStaff");
        store.services().addService(otherProvider, URI.create("http://127.0.0.1:9000/hr"), Protocol.SOAP);
        rules.grant(otherProvider, new AccessSubject.Subsystem(G22_DMS));
        rules.grant(LIST_DOCUMENTS, AccessSubject.parse("global:VN/provinces"));
        store.services().disableService(LIST_DOCUMENTS);
        GlobalConf conf =
                StoreTesting.confWith(new GlobalConf.GlobalGroup(PROVINCES, "Tỉnh", List.of(G22_DMS.memberId())));

        assertThat(rules.allowedServices(G22_DMS, H41_DMS, conf))
                .containsExactly(new LocalService(
                        LIST_DOCUMENTS, URI.create("http://127.0.0.1:9000/list"), Protocol.REST, false));
        assertThat(rules.allowedServices(G22_DMS, H41_DMS, NO_GROUPS)).isEmpty();
        assertThat(rules.allowedServices(H29_DMS, H41_DMS, conf)).isEmpty();

        rules.grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS));
        assertThat(rules.allowedServices(G22_DMS, H41_DMS, conf))
                .extracting(LocalService::id)
                .containsExactly(GET_DOCUMENT, LIST_DOCUMENTS);
    }
}
