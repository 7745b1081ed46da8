package dev.jobdeck.core.mail;

/**
 * Names Angus Mail's stream provider in the {@code jakarta.mail.util.StreamProvider} system property, unless the
 * process already names one.
 *
 * <p>Jakarta Mail 2.1 looks its {@code StreamProvider} up again every time a message is written or parsed, and
 * without that property it does so through {@link java.util.ServiceLoader}, which reads service files out of every
 * jar on the class path (jakartaee/mail-api#861). That lookup was an eighth of the CPU of delivering over an open
 * connection; with the property set it is a class lookup by name.
 */
public final class MailStreams {

    static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String ANGUS_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    private MailStreams() {
    }

    /** Sets the property when it is unset; a value the operator gave on the command line is kept. */
    public static void preferAngusProvider() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, ANGUS_PROVIDER);
        }
    }
}
