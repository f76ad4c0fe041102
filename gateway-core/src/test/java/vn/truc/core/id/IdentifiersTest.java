package vn.truc.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class IdentifiersTest {
    @Test
    void parsesAndPrintsSubsystemInXRoadForm() {
        ClientId id = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
        assertThat(id.instance()).isEqualTo("VN");
        assertThat(id.memberClass()).isEqualTo("GOV");
        assertThat(id.memberCode()).isEqualTo("000.00.00.G22");
        assertThat(id.subsystemCode()).isEqualTo("DMS");
        assertThat(id).hasToString("VN/GOV/000.00.00.G22/DMS");
        assertThat(id.memberId()).isEqualTo(ClientId.member("VN", "GOV", "000.00.00.G22"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000.00.00.G22", "000.00.00.H41", "H41.01.02", "G22", "000.00.01.H41.001.0001.ABCDEFGHIJ"})
    void acceptsAgencyCodesOfBothForms(String code) {
        assertThat(ClientId.parseMember("VN/GOV/" + code).memberCode()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "000.00.00.g22",
                "000..00.G22",
                ".000",
                "000.",
                "A B",
                "000_00",
                "0000000000.0000000000.0000000000.ABCD"
            })
    void rejectsWhatIsNotAnAgencyCode(String code) {
        assertThatThrownBy(() -> ClientId.parseMember("VN/GOV/" + code))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("member code: '" + code + "'")
                .hasMessageContaining("expected: an agency code")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER));
    }

    @Test
    void parsesServiceWithAndWithoutVersion() {
        ServiceId plain = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument");
        ServiceId versioned = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v2");
        assertThat(plain.serviceVersion()).isNull();
        assertThat(versioned.serviceVersion()).isEqualTo("v2");
        assertThat(versioned).hasToString("VN/GOV/000.00.00.H41/DMS/getDocument/v2");
        assertThat(plain.provider()).isEqualTo(ClientId.parse("VN/GOV/000.00.00.H41/DMS"));
    }

    @Test
    void parsesSecurityServerAndGlobalGroup() {
        SecurityServerId server = SecurityServerId.parse("VN/GOV/000.00.00.G22/ss1");
        assertThat(server.owner()).isEqualTo(ClientId.member("VN", "GOV", "000.00.00.G22"));
        assertThat(server.serverCode()).isEqualTo("ss1");
        assertThat(server).hasToString("VN/GOV/000.00.00.G22/ss1");
        assertThat(GlobalGroupId.parse("VN/provinces")).hasToString("VN/provinces");
    }

    @Test
    void namesTheExpectedFormWhenPartsAreMissing() {
        assertThatThrownBy(() -> ClientId.parse("VN/GOV"))
                .hasMessageContaining("client id: 'VN/GOV'")
                .hasMessageContaining("INSTANCE/CLASS/MEMBER");
        assertThatThrownBy(() -> ClientId.parseSubsystem("VN/GOV/000.00.00.G22"))
                .hasMessageContaining("SUBSYSTEM");
        assertThatThrownBy(() -> ServiceId.parse("VN/GOV/000.00.00.H41/DMS")).hasMessageContaining("SERVICE");
        assertThatThrownBy(() -> ClientId.parse("VN/gov/000.00.00.G22")).hasMessageContaining("member class: 'gov'");
        assertThatThrownBy(() -> ClientId.parse("VN/GOV/000.00.00.G22/bad code"))
                .hasMessageContaining("subsystem code");
    }
}
