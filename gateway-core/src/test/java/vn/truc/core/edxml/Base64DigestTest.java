package vn.truc.core.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64DigestTest {
    @ParameterizedTest
    @ValueSource(
            ints = {0, 1, 2, 3, Base64Digest.CHUNK / 4 * 3 - 1, Base64Digest.CHUNK / 4 * 3, 3 * Base64Digest.CHUNK + 7})
    void measuresAndHashesLikeAWholeDecode(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        String text = Base64.getMimeEncoder().encodeToString(data); // CRLF every 76 characters

        Base64Digest.Result result = Base64Digest.of("\n  " + text + "\t\n");

        assertThat(result.size()).isEqualTo(size);
        assertThat(result.sha256Base64())
                .isEqualTo(Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUJD!", "QU=JD", "QUI===", "QUI=A", "Q", "QUJDR", "QQ=", "QUJD=", "==", "QUJD\u00a0"})
    void rejectsWhatIsNotBase64(String text) {
        assertThatThrownBy(() -> Base64Digest.of(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"QQ==", "QUI=", "QUJD", "QQ", "QUI"})
    void acceptsPaddedAndUnpaddedEndings(String text) {
        assertThat(Base64Digest.of(text).size()).isEqualTo(Base64.getDecoder().decode(text).length);
    }
}
