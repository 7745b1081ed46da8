package dev.jobdeck.core.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Turns what Jakarta Mail throws into a retry decision and a sentence an operator can act on.
 *
 * <p>Jakarta Mail reports a rejected recipient as a plain {@code SendFailedException} whose
 * next-exception chain holds the {@code SMTPAddressFailedException} with the reply code, and network
 * trouble as a {@code MessagingException} caused by an {@code IOException}; so the whole chain is
 * searched rather than just the top exception.
 */
final class FailureClassifier {

    private static final int AUTH_FAILED = 535;
    private static final int MAX_CHAIN = 32;
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)[ -]");

    private FailureClassifier() {
    }

    static DeliveryException classify(MessagingException e, SmtpSettings settings) {
        Iterable<Throwable> chain = chain(e);

        for (Throwable t : chain) {
            if (t instanceof AuthenticationFailedException auth) {
                return authentication(auth, settings);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof AuthNotOfferedException noAuth) {
                // Transient: nothing refused the message, retrying costs one connection and sends nothing, and once the
                // operator corrects the settings the retries deliver instead of the mail having bounced (decision 19).
                String text = noAuth.getMessage();
                return new TransientDeliveryException(text, new SmtpFailure(SmtpFailure.Kind.TRANSIENT, 0, text), e);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TlsTrust.UntrustedCertificateException untrusted) {
                return untrusted(untrusted, e, settings);
            }
        }
        for (Throwable t : chain) {
            DeliveryException replied = fromReply(t, settings);
            if (replied != null) {
                return replied;
            }
        }
        for (Throwable t : chain) {
            DeliveryException network = fromNetwork(t, e, settings);
            if (network != null) {
                return network;
            }
        }
        String text = firstLine(e.getMessage());
        Matcher code = LEADING_CODE.matcher(text);
        if (code.find()) {
            SmtpFailure failure = SmtpFailure.ofReply(Integer.parseInt(code.group(1)), text);
            return DeliveryException.of("Server " + settings.address() + " replied: " + text, failure, e);
        }
        // Unknown failures retry: a wrong guess costs one more attempt, a wrong "permanent" loses mail.
        SmtpFailure failure = new SmtpFailure(SmtpFailure.Kind.TRANSIENT, 0, text);
        return DeliveryException.of("SMTP error with " + settings.address() + ": " + text, failure, e);
    }

    private static DeliveryException authentication(AuthenticationFailedException auth, SmtpSettings settings) {
        String text = firstLine(auth.getMessage());
        Matcher m = LEADING_CODE.matcher(text);
        int code = m.find() ? Integer.parseInt(m.group(1)) : AUTH_FAILED;
        if (text.isEmpty()) {
            text = "the server rejected the user name or password";
        }
        // Always permanent: retrying with the same credentials cannot succeed and may lock the account.
        SmtpFailure failure = new SmtpFailure(SmtpFailure.Kind.PERMANENT, code, text);
        return new PermanentDeliveryException(
                "Authentication failed: " + text + " (user " + settings.username() + " at " + settings.address() + ")",
                failure, auth);
    }

    /*
     * Transient, like every TLS failure: the server may renew its certificate or the operator may pin
     * it, and a wrong "permanent" loses mail. The fingerprint lets the operator decide to pin it.
     */
    private static DeliveryException untrusted(TlsTrust.UntrustedCertificateException untrusted, MessagingException top,
                                               SmtpSettings settings) {
        String message = "TLS with " + settings.address() + " failed: " + untrusted.getMessage() + ". The server's"
                + " certificate has the SHA-256 fingerprint " + CertificateFingerprint.display(untrusted.fingerprint())
                + "; to trust exactly this certificate, enter that fingerprint as the trusted certificate in Settings.";
        return new TransientDeliveryException(message, new SmtpFailure(SmtpFailure.Kind.TRANSIENT, 0, message), top);
    }

    private static DeliveryException fromReply(Throwable t, SmtpSettings settings) {
        int code;
        String prefix;
        if (t instanceof SMTPAddressFailedException f) {
            code = f.getReturnCode();
            prefix = "Recipient " + f.getAddress() + " rejected";
        } else if (t instanceof SMTPSenderFailedException f) {
            code = f.getReturnCode();
            prefix = "Sender " + f.getAddress() + " rejected";
        } else if (t instanceof SMTPSendFailedException f) {
            code = f.getReturnCode();
            prefix = "Message rejected";
        } else {
            return null;
        }
        if (code <= 0) {
            return null;
        }
        String text = firstLine(t.getMessage());
        SmtpFailure failure = SmtpFailure.ofReply(code, text);
        return DeliveryException.of(prefix + " by " + settings.address() + ": " + text, failure, t);
    }

    private static DeliveryException fromNetwork(Throwable t, MessagingException top, SmtpSettings settings) {
        String where = settings.address();
        String message;
        if (t instanceof ConnectException) {
            message = "Connection refused by " + where;
        } else if (t instanceof SocketTimeoutException) {
            boolean connecting = isConnectFailure(top);
            message = connecting
                    ? "No connection to " + where + " within " + seconds(settings.connectTimeout())
                    : "No reply from " + where + " within " + seconds(settings.readTimeout());
        } else if (t instanceof UnknownHostException) {
            message = "Unknown host " + settings.host();
        } else if (t instanceof NoRouteToHostException) {
            message = "No route to " + where;
        } else if (t instanceof SSLException) {
            message = "TLS with " + where + " failed: " + firstLine(t.getMessage());
        } else if (t instanceof IOException) {
            message = "Connection to " + where + " failed: " + firstLine(String.valueOf(t.getMessage()));
        } else {
            return null;
        }
        return new TransientDeliveryException(message, new SmtpFailure(SmtpFailure.Kind.TRANSIENT, 0, message), top);
    }

    private static boolean isConnectFailure(MessagingException top) {
        for (Throwable t : chain(top)) {
            if (t instanceof MailConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Every throwable reachable by cause / next-exception links, each once, outermost first. */
    private static Iterable<Throwable> chain(Throwable top) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> out = new ArrayList<>();
        Throwable t = top;
        while (t != null && out.size() < MAX_CHAIN && seen.put(t, Boolean.TRUE) == null) {
            out.add(t);
            // MessagingException.getCause() returns the next exception, so one link covers both.
            t = t.getCause();
        }
        return out;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String trimmed = s.strip();
        int nl = trimmed.indexOf('\n');
        return (nl < 0 ? trimmed : trimmed.substring(0, nl)).strip();
    }
}
