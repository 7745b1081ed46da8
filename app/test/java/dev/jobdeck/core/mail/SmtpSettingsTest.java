package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpSettingsTest {

    @Test
    void defaultsAreTenThirtyThirtySecondsAndNoSecurity() {
        SmtpSettings s = SmtpSettings.of("smtp.example.org", 25);

        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.security()).isEqualTo(SmtpSecurity.NONE);
        assertThat(s.hasCredentials()).isFalse();
    }

    @Test
    void toStringDoesNotRevealThePassword() {
        SmtpSettings s = SmtpSettings.of("smtp.example.org", 587).withCredentials("ops", "s3cr3t-Pa55");

        assertThat(s.toString()).doesNotContain("s3cr3t-Pa55").contains("ops").contains("****");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "smtp.example.org\r\n", "evil\nhost"})
    void hostMustBeOneNonBlankLine(String host) {
        assertThatThrownBy(() -> SmtpSettings.of(host, 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 100_000})
    void portOutsideOneTo65535IsRefused(int port) {
        assertThatThrownBy(() -> SmtpSettings.of("localhost", port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 25, 65535})
    void portInRangeIsAccepted(int port) {
        assertThat(SmtpSettings.of("localhost", port).port()).isEqualTo(port);
    }

    @Test
    void nonPositiveTimeoutIsRefused() {
        assertThatThrownBy(() -> SmtpSettings.of("localhost", 25).withTimeouts(Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connect timeout");
    }

    @Test
    void usernameSwitchesAuthenticationOn() {
        assertThat(SmtpSettings.of("localhost", 25).withCredentials("ops", "pw").hasCredentials()).isTrue();
        assertThat(SmtpSettings.of("localhost", 25).withCredentials(null, null).hasCredentials()).isFalse();
    }
}
