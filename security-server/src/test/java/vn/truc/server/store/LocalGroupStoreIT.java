package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/** Local groups on a real H2 file database. */
class LocalGroupStoreIT {
    private static final ClientId G22_DMS = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ClientId H41 = ClientId.parse("VN/GOV/000.00.00.H41");

    @TempDir
    Path dir;

    private ServerStore store;
    private LocalGroupStore groups;

    @BeforeEach
    void open() {
        store = StoreTesting.open(dir);
        groups = store.localGroups();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void addsGroupsWithTheirMembers() {
        groups.addLocalGroup("provinces", "Tỉnh, thành phố");
        groups.addLocalGroup("auditors", "Kiểm toán");
        groups.addLocalGroupMember("provinces", H41);
        groups.addLocalGroupMember("provinces", G22_DMS);

        assertThat(groups.localGroups())
                .containsExactly(
                        new LocalGroupStore.Group("auditors", "Kiểm toán", List.of()),
                        new LocalGroupStore.Group("provinces", "Tỉnh, thành phố", List.of(G22_DMS, H41)));
    }

    @Test
    void refusesAGroupCodeTwice() {
        groups.addLocalGroup("provinces", "one");

        assertThatThrownBy(() -> groups.addLocalGroup("provinces", "two"))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @Test
    void refusesAnInvalidGroupCode() {
        assertThatThrownBy(() -> groups.addLocalGroup("has space", "x"))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER))
                .hasMessageContaining("local group code: 'has space'");
    }

    @Test
    void refusesAMemberOfAnUnknownGroupOrTwice() {
        assertThatThrownBy(() -> groups.addLocalGroupMember("nobody", G22_DMS))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no local group nobody");

        groups.addLocalGroup("provinces", "x");
        groups.addLocalGroupMember("provinces", G22_DMS);
        assertThatThrownBy(() -> groups.addLocalGroupMember("provinces", G22_DMS))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @Test
    void aMemberEntryHoldsItsSubsystems() {
        groups.addLocalGroup("provinces", "x");
        groups.addLocalGroup("g22", "x");
        groups.addLocalGroupMember("provinces", H41);
        groups.addLocalGroupMember("g22", G22_DMS);

        assertThat(groups.groupsContaining(H41.subsystem("DMS"))).containsExactly("provinces");
        assertThat(groups.groupsContaining(G22_DMS)).containsExactly("g22");
        assertThat(groups.groupsContaining(G22_DMS.memberId())).isEmpty();
    }
}
