package dev.jobdeck.core.mail;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MailStreamsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(MailStreams.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(MailStreams.PROPERTY);
        } else {
            System.setProperty(MailStreams.PROPERTY, before);
        }
    }

    @Test
    void namesAngusProviderSoJakartaMailFindsItByName() {
        System.clearProperty(MailStreams.PROPERTY);

        MailStreams.preferAngusProvider();

        assertEquals(MailStreams.ANGUS_PROVIDER, System.getProperty(MailStreams.PROPERTY));
        assertEquals(MailStreams.ANGUS_PROVIDER, StreamProvider.provider().getClass().getName());
    }

    @Test
    void keepsAProviderTheOperatorNamed() {
        System.setProperty(MailStreams.PROPERTY, "com.example.OtherProvider");

        MailStreams.preferAngusProvider();

        assertEquals("com.example.OtherProvider", System.getProperty(MailStreams.PROPERTY));
    }
}
