package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;

/**
 * The server's migrations and every query of its stores on a real PostgreSQL. CI starts one with
 * {@code .ci/postgres}; elsewhere the test runs when TRUC_TEST_POSTGRES_URL is set.
 */
class PostgresServerStoreIT {
    private static final String URL = System.getenv("TRUC_TEST_POSTGRES_URL");
    private static final String USER = System.getenv("TRUC_TEST_POSTGRES_USER");
    private static final String PASSWORD = System.getenv("TRUC_TEST_POSTGRES_PASSWORD");

    private static final ServiceId GET_DOCUMENT = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");
    private static final ClientId H41_DMS = GET_DOCUMENT.provider();
    private static final ClientId G22_DMS = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ClientId H29_DMS = ClientId.parse("VN/GOV/000.00.00.H29/DMS");

    @Test
    void schemaAndStoresWorkOnPostgresql() throws Exception {
        assumeTrue(URL != null, "set TRUC_TEST_POSTGRES_URL (CI does, through .ci/postgres)");
        resetSchema();
        try (ServerStore store = new ServerStore(ServerDatabases.open(URL, USER, PASSWORD))) {
            URI backend = URI.create("https://dms.h41.gov.vn/api");
            store.services().addService(GET_DOCUMENT, backend, Protocol.REST);
            store.services().disableService(GET_DOCUMENT);
            store.localGroups().addLocalGroup("partners", "Đối tác");
            store.localGroups().addLocalGroupMember("partners", H29_DMS.memberId());
            AccessRule granted = store.accessRules().grant(GET_DOCUMENT, new AccessSubject.Subsystem(G22_DMS));
            store.accessRules().grant(GET_DOCUMENT, AccessSubject.parse("local:partners"));
            store.accessRules().grant(GET_DOCUMENT, AccessSubject.parse("global:VN/provinces"));
            store.accessRules().revoke(GET_DOCUMENT, AccessSubject.parse("global:VN/provinces"));
            GlobalConf conf = StoreTesting.confWith(
                    new GlobalConf.GlobalGroup(GlobalGroupId.parse("VN/provinces"), "x", List.of(G22_DMS)));

            assertThat(store.services().listServices())
                    .containsExactly(new LocalService(GET_DOCUMENT, backend, Protocol.REST, false));
            assertThat(store.services().servicesOf(H41_DMS)).hasSize(1);
            assertThat(store.localGroups().localGroups())
                    .containsExactly(new LocalGroupStore.Group("partners", "Đối tác", List.of(H29_DMS.memberId())));
            assertThat(store.accessRules().rules(GET_DOCUMENT))
                    .hasSize(2)
                    .first()
                    .isEqualTo(granted);
            assertThat(store.accessRules().isAllowed(G22_DMS, GET_DOCUMENT, conf))
                    .isTrue();
            assertThat(store.accessRules().isAllowed(H29_DMS, GET_DOCUMENT, conf))
                    .isTrue();
            assertThat(store.accessRules().isAllowed(ClientId.parse("VN/GOV/000.00.00.G22/HR"), GET_DOCUMENT, conf))
                    .isFalse();
            assertThat(store.accessRules().allowedServices(G22_DMS, H41_DMS, conf))
                    .extracting(LocalService::id)
                    .containsExactly(GET_DOCUMENT);

            LogRecord withAll = new LogRecord(
                    0,
                    Instant.now(),
                    "pg-1",
                    LogRecord.Direction.IN,
                    LogRecord.Kind.REQUEST,
                    G22_DMS,
                    GET_DOCUMENT,
                    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                    "{\"messageId\":\"pg-1\"}",
                    new byte[] {0, 1, (byte) 0x80, (byte) 0xff},
                    "ab".repeat(32),
                    SecurityServerId.parse("VN/GOV/000.00.00.G22/ss1"));
            LogRecord bare = new LogRecord(
                    0,
                    Instant.now(),
                    "pg-1",
                    LogRecord.Direction.OUT,
                    LogRecord.Kind.RESPONSE,
                    G22_DMS,
                    null,
                    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                    null,
                    null,
                    null,
                    null);
            long first = store.messageLog().append(withAll);
            long second = store.messageLog().append(bare);
            assertThat(store.messageLog().records("pg-1")).containsExactly(withAll.withId(first), bare.withId(second));
            assertThatThrownBy(() -> store.messageLog()
                            .append(new LogRecord(
                                    0,
                                    Instant.now(),
                                    "pg-2",
                                    LogRecord.Direction.IN,
                                    LogRecord.Kind.REQUEST,
                                    G22_DMS,
                                    null,
                                    "x",
                                    "x".repeat(8001),
                                    null,
                                    null,
                                    null)))
                    .isInstanceOfSatisfying(
                            TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));
        }
    }

    private static void resetSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }
}
