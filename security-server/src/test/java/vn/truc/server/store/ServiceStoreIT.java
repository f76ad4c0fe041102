package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/** Services on a real H2 file database. */
class ServiceStoreIT {
    private static final ServiceId GET_DOCUMENT = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");
    private static final ServiceId LIST_DOCUMENTS = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/listDocuments");
    private static final ServiceId OTHER_PROVIDER = ServiceId.parse("VN/GOV/000.00.00.H41/HR/getStaff");
    private static final URI BACKEND = URI.create("http://127.0.0.1:9000/docs");

    @TempDir
    Path dir;

    private ServerStore store;
    private ServiceStore services;

    @BeforeEach
    void open() {
        store = StoreTesting.open(dir);
        services = store.services();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void addsAndReadsBackAService() {
        LocalService added = services.addService(GET_DOCUMENT, BACKEND, Protocol.REST);

        assertThat(added).isEqualTo(new LocalService(GET_DOCUMENT, BACKEND, Protocol.REST, true));
        assertThat(services.service(GET_DOCUMENT)).contains(added);
        assertThat(services.service(LIST_DOCUMENTS)).isEmpty();
    }

    @Test
    void refusesTheSameServiceTwice() {
        services.addService(GET_DOCUMENT, BACKEND, Protocol.REST);

        assertThatThrownBy(() -> services.addService(GET_DOCUMENT, URI.create("https://other/"), Protocol.SOAP))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining(GET_DOCUMENT.toString());
        assertThat(services.service(GET_DOCUMENT).orElseThrow().backend()).isEqualTo(BACKEND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/docs", "ftp://127.0.0.1/docs", "file:///etc/passwd", "http:docs", "http://host/#frag"})
    void refusesABackendThatIsNotAnAbsoluteHttpUrl(String url) {
        assertThatThrownBy(() -> services.addService(GET_DOCUMENT, URI.create(url), Protocol.REST))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("backend URL: '" + url + "'");
        assertThat(services.listServices()).isEmpty();
    }

    @Test
    void parsesBackendUrlsFromText() {
        assertThat(ServiceStore.backendUrl("https://dms.h41.gov.vn/api"))
                .isEqualTo(URI.create("https://dms.h41.gov.vn/api"));
        assertThatThrownBy(() -> ServiceStore.backendUrl("not a url"))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void listsServicesInOrderAndByProvider() {
        services.addService(OTHER_PROVIDER, BACKEND, Protocol.SOAP);
        services.addService(LIST_DOCUMENTS, BACKEND, Protocol.REST);
        services.addService(GET_DOCUMENT, BACKEND, Protocol.REST);

        assertThat(services.listServices())
                .extracting(LocalService::id)
                .containsExactly(GET_DOCUMENT, LIST_DOCUMENTS, OTHER_PROVIDER);
        assertThat(services.servicesOf(ClientId.parse("VN/GOV/000.00.00.H41/DMS")))
                .extracting(LocalService::id)
                .containsExactly(GET_DOCUMENT, LIST_DOCUMENTS);
        assertThat(services.servicesOf(ClientId.parse("VN/GOV/000.00.00.G22/DMS")))
                .isEmpty();
    }

    @Test
    void disablesAndEnablesAService() {
        services.addService(GET_DOCUMENT, BACKEND, Protocol.REST);

        services.disableService(GET_DOCUMENT);
        services.disableService(GET_DOCUMENT);
        assertThat(services.service(GET_DOCUMENT).orElseThrow().enabled()).isFalse();

        services.enableService(GET_DOCUMENT);
        assertThat(services.service(GET_DOCUMENT).orElseThrow().enabled()).isTrue();
    }

    @Test
    void disablingOrEnablingAnUnknownServiceIsNotFound() {
        assertThatThrownBy(() -> services.disableService(GET_DOCUMENT))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no service " + GET_DOCUMENT);
        assertThatThrownBy(() -> services.enableService(GET_DOCUMENT))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void servicesSurviveARestart() {
        services.addService(GET_DOCUMENT, BACKEND, Protocol.SOAP);
        services.disableService(GET_DOCUMENT);
        store.close();

        store = StoreTesting.open(dir);
        assertThat(store.services().listServices())
                .containsExactly(new LocalService(GET_DOCUMENT, BACKEND, Protocol.SOAP, false));
    }

    @Test
    void protocolsParseInAnyCase() {
        assertThat(Protocol.parse("rest")).isEqualTo(Protocol.REST);
        assertThat(Protocol.parse("SOAP")).isEqualTo(Protocol.SOAP);
        assertThatThrownBy(() -> Protocol.parse("grpc"))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessage("protocol: 'grpc' (expected: rest or soap)");
    }
}
