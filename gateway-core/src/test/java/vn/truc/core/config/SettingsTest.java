package vn.truc.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @Test
    void readsTypedValuesFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "port = 8080\nvalidity = 10m\nflag = true\nurl = http://127.0.0.1:4000/\n");
        Settings s = Settings.load(file);
        assertThat(s.port("port", 1)).isEqualTo(8080);
        assertThat(s.duration("validity", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(s.bool("flag", false)).isTrue();
        assertThat(s.url("url", null).getPort()).isEqualTo(4000);
        assertThat(s.string("absent", "default")).isEqualTo("default");
        s.rejectUnknownKeys();
    }

    @Test
    void namesKeyValueAndExpectationOfAWrongValue() {
        Settings s = Settings.of("server.properties", Map.of("client-proxy.port", "70000"));
        assertThatThrownBy(() -> s.port("client-proxy.port", 80))
                .hasMessage("server.properties: client-proxy.port: 70000 (expected: 0-65535)");
    }

    @Test
    void refusesRatherThanClamps() {
        Settings s = Settings.of("f", Map.of("d", "2h", "b", "yes", "u", "ftp://x"));
        assertThatThrownBy(() -> s.duration("d", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .hasMessageContaining("d: 2h (expected: a duration from PT0S to PT1H");
        assertThatThrownBy(() -> s.bool("b", false)).hasMessage("f: b: yes (expected: true or false)");
        assertThatThrownBy(() -> s.url("u", null))
                .hasMessage("f: u: ftp://x (expected: an absolute http or https URL)");
    }

    @Test
    void rejectsUnknownKeysSoTyposAreNoticed() {
        Settings s = Settings.of("f", Map.of("globalconf.validty", "5m"));
        s.duration("globalconf.validity", Duration.ofMinutes(10), Duration.ZERO, Duration.ofDays(1));
        assertThatThrownBy(s::rejectUnknownKeys)
                .hasMessageContaining("unknown key 'globalconf.validty'")
                .hasMessageContaining("globalconf.validity");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Settings.load(dir.resolve("nope.properties"))).hasMessageContaining("nope.properties");
    }
}
