package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;

class AccessSubjectTest {
    @Test
    void parsesTheThreeKindsOfSubject() {
        assertThat(AccessSubject.parse("VN/GOV/000.00.00.G22/DMS"))
                .isEqualTo(new AccessSubject.Subsystem(ClientId.parse("VN/GOV/000.00.00.G22/DMS")));
        assertThat(AccessSubject.parse("local:auditors")).isEqualTo(new AccessSubject.LocalGroup("auditors"));
        assertThat(AccessSubject.parse("global:VN/provinces"))
                .isEqualTo(new AccessSubject.GlobalGroup(new GlobalGroupId("VN", "provinces")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"VN/GOV/000.00.00.G22/DMS", "local:auditors", "local:a.b-c_d", "global:VN/provinces"})
    void printsWhatItParses(String text) {
        assertThat(AccessSubject.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "VN/GOV/000.00.00.G22",
                "VN/GOV/000.00.00.G22/DMS/extra",
                "group:VN/provinces",
                "local:",
                "local:has space",
                "global:provinces",
                "global:VN/pro vinces",
                "VN/GOV/not a code/DMS"
            })
    void rejectsWhatIsNeitherSubsystemNorGroup(String text) {
        assertThatThrownBy(() -> AccessSubject.parse(text))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER));
    }

    @Test
    void saysWhichFormsAreAccepted() {
        assertThatThrownBy(() -> AccessSubject.parse("VN/GOV/000.00.00.G22"))
                .hasMessageContaining("access subject: 'VN/GOV/000.00.00.G22'")
                .hasMessageContaining("local:GROUP")
                .hasMessageContaining("global:INSTANCE/GROUP");
        assertThatThrownBy(() -> AccessSubject.parse(null)).hasMessageContaining("access subject: 'null'");
    }

    @Test
    void aSubsystemSubjectMustBeASubsystem() {
        assertThatThrownBy(() -> new AccessSubject.Subsystem(ClientId.parse("VN/GOV/000.00.00.G22")))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("expected: a subsystem");
    }
}
