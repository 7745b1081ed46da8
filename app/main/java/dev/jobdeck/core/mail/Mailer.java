package dev.jobdeck.core.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@link EmailMessage} over SMTP and classifies what went wrong.
 *
 * <p>Stateless, so one instance serves every worker thread: each call builds its own {@link Session}
 * and connection (a test send, the in-memory baseline). Jobs deliver through {@link SmtpConnectionPool}, which
 * keeps connections open across e-mails and builds messages with the same {@link #build} as here. The caller supplies the Message-ID (derived from the job id) so that a retried job
 * sends the very same Message-ID and a receiving system or operator can spot the duplicate.
 */
public final class Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>@\\s]+@[^<>@\\s]+>");

    /**
     * Delivers {@code message} with exactly {@code messageId} as its Message-ID.
     *
     * @param messageId in angle brackets, e.g. {@code <8c1f...@jobdeck>}
     * @return the server's final reply and the Message-ID used
     * @throws PermanentDeliveryException when the server refused for good (5xx, bad credentials)
     * @throws TransientDeliveryException when a later attempt may succeed (4xx, network trouble)
     */
    public DeliveryResult send(SmtpSettings settings, EmailMessage message, String messageId) throws DeliveryException {
        requireMessageId(messageId);
        Session session = Session.getInstance(properties(settings, tlsFor(settings)));
        MimeMessage mime = build(session, message, messageId);
        SMTPTransport transport = transport(session);
        try {
            connect(transport, settings);
            transport.sendMessage(mime, mime.getAllRecipients());
            // Read before close(): QUIT replaces the last response with "221 Bye".
            String reply = lastLine(transport.getLastServerResponse());
            return new DeliveryResult(reply, messageId);
        } catch (MessagingException e) {
            throw FailureClassifier.classify(e, settings);
        } finally {
            closeQuietly(transport, settings);
        }
    }

    /**
     * Connects, says EHLO, starts TLS when configured, authenticates when a username is set, and
     * disconnects: the checks a delivery would make, without sending anything.
     *
     * @return the greeting, the negotiated TLS version and the capabilities the server announced
     */
    public ConnectionReport testConnection(SmtpSettings settings) throws DeliveryException {
        TlsTrust tls = tlsFor(settings);
        Session session = Session.getInstance(properties(settings, tls));
        ObservedTransport transport = new ObservedTransport(session, settings);
        try {
            connect(transport, settings);
            return new ConnectionReport(settings.address(), transport.greeting,
                    tls == null ? "" : tls.negotiatedProtocol(), tls == null ? "" : tls.negotiatedCipherSuite(), capabilities(transport.ehloResponse),
                    settings.hasCredentials() ? settings.username() : "");
        } catch (MessagingException e) {
            throw FailureClassifier.classify(e, settings);
        } finally {
            closeQuietly(transport, settings);
        }
    }

    /** Only TLS connections need trust material; plain SMTP to the sink skips loading the system's authorities. */
    static TlsTrust tlsFor(SmtpSettings settings) {
        return settings.security() == SmtpSecurity.NONE ? null : new TlsTrust(settings);
    }

    /** The extension lines of an EHLO reply: everything after the first line, without the "250-" prefix. */
    static List<String> capabilities(String ehloResponse) {
        if (ehloResponse == null || ehloResponse.isBlank()) {
            return List.of();
        }
        List<String> lines = ehloResponse.strip().lines().map(String::strip).toList();
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            out.add(line.replaceFirst("^\\d{3}[ -]", ""));
        }
        return out;
    }

    static Properties properties(SmtpSettings settings, TlsTrust tls) {
        Properties p = new Properties();
        String prefix = "mail.smtp.";
        p.setProperty(prefix + "host", settings.host());
        p.setProperty(prefix + "port", Integer.toString(settings.port()));
        p.setProperty(prefix + "connecttimeout", Long.toString(settings.connectTimeout().toMillis()));
        p.setProperty(prefix + "timeout", Long.toString(settings.readTimeout().toMillis()));
        p.setProperty(prefix + "writetimeout", Long.toString(settings.writeTimeout().toMillis()));
        p.setProperty(prefix + "auth", Boolean.toString(settings.hasCredentials()));
        p.setProperty(prefix + "auth.mechanisms", "PLAIN LOGIN");
        // A pinned certificate is the identity check: the operator named the one certificate to accept.
        String checkIdentity = Boolean.toString(!settings.pinsCertificate());
        switch (settings.security()) {
            case STARTTLS -> {
                p.setProperty(prefix + "starttls.enable", "true");
                // Required, so a stripped STARTTLS offer fails instead of sending the password in clear.
                p.setProperty(prefix + "starttls.required", "true");
                p.setProperty(prefix + "ssl.checkserveridentity", checkIdentity);
                p.put(prefix + "ssl.socketFactory", tls.socketFactory());
            }
            case SSL -> {
                p.setProperty(prefix + "ssl.enable", "true");
                // Otherwise a refused handshake is retried with the JDK's default factory, which hides our reason.
                p.setProperty(prefix + "socketFactory.fallback", "false");
                p.setProperty(prefix + "ssl.checkserveridentity", checkIdentity);
                p.put(prefix + "ssl.socketFactory", tls.socketFactory());
            }
            case NONE -> {
                // Nothing to add: plain SMTP is what the local sink speaks.
            }
        }
        return p;
    }

    static MimeMessage build(Session session, EmailMessage message, String messageId) throws DeliveryException {
        try {
            MimeMessage mime = new FixedIdMimeMessage(session, messageId);
            mime.setFrom(new InternetAddress(message.from(), true));
            mime.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(message.to(), true));
            for (String cc : message.cc()) {
                mime.addRecipients(MimeMessage.RecipientType.CC, InternetAddress.parse(cc, true));
            }
            for (String bcc : message.bcc()) {
                mime.addRecipients(MimeMessage.RecipientType.BCC, InternetAddress.parse(bcc, true));
            }
            // Jakarta Mail encodes a non-ASCII subject as RFC 2047 encoded-words of at most 75 characters and
            // folds the header at white space, so a long subject never makes a header line too long.
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            if (message.attachments().isEmpty()) {
                setBody(mime, message);
            } else {
                mime.setContent(withAttachments(message));
            }
            mime.setSentDate(new Date());
            mime.saveChanges();
            return mime;
        } catch (MessagingException e) {
            // The message was validated, so this cannot get better by retrying.
            SmtpFailure failure = new SmtpFailure(SmtpFailure.Kind.PERMANENT, 0, String.valueOf(e.getMessage()));
            throw new PermanentDeliveryException("Message could not be built: " + e.getMessage(), failure, e);
        }
    }

    /** Plain text, or for HTML a multipart/alternative with the plain-text part first. */
    private static void setBody(MimePart part, EmailMessage message) throws MessagingException {
        if (message.format() == BodyFormat.HTML) {
            // Simplest first: mail clients show the last part they can render, so the HTML goes last.
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.textAlternative(), StandardCharsets.UTF_8.name());
            alternative.addBodyPart(text);
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.body(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(html);
            part.setContent(alternative);
        } else {
            part.setText(message.body(), StandardCharsets.UTF_8.name());
        }
    }

    /**
     * multipart/mixed: the body first, then one part per file. A non-ASCII file name is written as an RFC 2231
     * parameter ({@code filename*=UTF-8''...}), Jakarta Mail's default while {@code mail.mime.encodeparameters}
     * is unset; the content goes base64 or quoted-printable as its bytes need.
     */
    private static MimeMultipart withAttachments(EmailMessage message) throws MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart body = new MimeBodyPart();
        setBody(body, message);
        mixed.addBodyPart(body);
        for (Attachment attachment : message.attachments()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
            // Headers set here, with UTF-8 named, rather than by setFileName(), which encodes with the JVM's default
            // charset: on Java 17 under a POSIX locale that turns every non-ASCII letter into "?".
            ParameterList dispositionParameters = new ParameterList();
            dispositionParameters.set("filename", attachment.fileName(), StandardCharsets.UTF_8.name());
            part.setHeader("Content-Disposition", new ContentDisposition(Part.ATTACHMENT, dispositionParameters).toString());
            ContentType type = contentType(attachment.contentType());
            type.getParameterList().set("name", attachment.fileName(), StandardCharsets.UTF_8.name());
            part.setHeader("Content-Type", type.toString());
            mixed.addBodyPart(part);
        }
        return mixed;
    }

    private static ContentType contentType(String text) {
        try {
            ContentType type = new ContentType(text);
            if (type.getParameterList() == null) {
                type.setParameterList(new ParameterList());
            }
            return type;
        } catch (ParseException e) {
            LOG.debug("Unusable content type {}; sending the attachment as application/octet-stream", text, e);
            return new ContentType("application", "octet-stream", new ParameterList());
        }
    }

    static SMTPTransport transport(Session session) {
        try {
            return (SMTPTransport) session.getTransport("smtp");
        } catch (MessagingException e) {
            throw new IllegalStateException("Angus Mail SMTP provider is missing from the classpath", e);
        }
    }

    /**
     * Connects, and logs in when a user name is set. Angus Mail skips AUTH without a word when the server's last EHLO
     * reply does not offer it (whatever {@code mail.smtp.auth} says), and would then send unauthenticated; with a
     * user name set that is refused here, on the same test Angus Mail makes, before anything is sent.
     */
    static void connect(SMTPTransport transport, SmtpSettings settings) throws MessagingException {
        if (settings.hasCredentials()) {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            if (!transport.supportsExtension("AUTH") && !transport.supportsExtension("AUTH=LOGIN")) {
                closeQuietly(transport, settings);
                throw new AuthNotOfferedException(settings);
            }
        } else {
            transport.connect(settings.host(), settings.port(), null, null);
        }
    }

    static void closeQuietly(SMTPTransport transport, SmtpSettings settings) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // The outcome is already decided; a failed QUIT must not turn an accepted message into a retry.
            LOG.debug("Closing the SMTP connection to {} failed", settings.address(), e);
        }
    }

    static void requireMessageId(String messageId) {
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("Message-ID must look like <id@host>, was: " + messageId);
        }
    }

    static String lastLine(String response) {
        if (response == null) {
            return "";
        }
        String trimmed = response.strip();
        int nl = trimmed.lastIndexOf('\n');
        return (nl < 0 ? trimmed : trimmed.substring(nl + 1)).strip();
    }

    /** Angus Mail's SMTP transport that keeps the greeting and the last EHLO reply for the connection test. */
    private static final class ObservedTransport extends SMTPTransport {

        private String greeting = "";
        private String ehloResponse = "";

        ObservedTransport(Session session, SmtpSettings settings) {
            super(session, new URLName("smtp", settings.host(), settings.port(), null, null, null));
        }

        @Override
        protected int readServerResponse() throws MessagingException {
            int code = super.readServerResponse();
            if (greeting.isEmpty()) {
                greeting = FailureClassifier.firstLine(getLastServerResponse());
            }
            return code;
        }

        @Override
        protected boolean ehlo(String domain) throws MessagingException {
            boolean ok = super.ehlo(domain);
            if (ok) {
                // Called again after STARTTLS; the later reply is the one that counts.
                ehloResponse = getLastServerResponse();
            }
            return ok;
        }
    }

    /** Jakarta Mail would generate a new random Message-ID on every saveChanges(); retries need the same one. */
    private static final class FixedIdMimeMessage extends MimeMessage {

        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
