package dev.jobdeck.core.mail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS side of one SMTP connection: which certificates are trusted, and what was negotiated.
 *
 * <p>Validation is always on. By default the server's chain must lead to an authority the system
 * trusts (and Angus Mail checks the host name). When the operator pinned a fingerprint, exactly that
 * certificate is trusted and nothing else; the host name is not checked then, because the pin already
 * names the one certificate wanted. There is deliberately no "trust all" mode.
 */
final class TlsTrust {

    /** Thrown by the trust manager; carries the fingerprint so the operator can choose to pin it. */
    static final class UntrustedCertificateException extends CertificateException {

        private static final long serialVersionUID = 1L;
        private final String fingerprint;

        UntrustedCertificateException(String message, String fingerprint, Throwable cause) {
            super(message, cause);
            this.fingerprint = fingerprint;
        }

        String fingerprint() {
            return fingerprint;
        }
    }

    private final RecordingFactory factory;

    TlsTrust(SmtpSettings settings) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(settings)}, null);
            factory = new RecordingFactory(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    SSLSocketFactory socketFactory() {
        return factory;
    }

    /** The protocol of the last TLS connection made, e.g. {@code TLSv1.3}; empty before any. */
    String negotiatedProtocol() {
        SSLSocket socket = factory.last;
        return socket == null || socket.getSession() == null ? "" : socket.getSession().getProtocol();
    }

    String negotiatedCipherSuite() {
        SSLSocket socket = factory.last;
        return socket == null || socket.getSession() == null ? "" : socket.getSession().getCipherSuite();
    }

    private static X509TrustManager trustManager(SmtpSettings settings) throws GeneralSecurityException {
        if (settings.pinsCertificate()) {
            return new PinnedTrustManager(settings.trustedFingerprint());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return new SystemTrustManager(x509);
            }
        }
        throw new IllegalStateException("The JDK offers no X.509 trust manager");
    }

    /** The system's authorities, with the fingerprint of a refused certificate added to the error. */
    private record SystemTrustManager(X509TrustManager system) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                String fingerprint = chain == null || chain.length == 0 ? "" : CertificateFingerprint.of(chain[0]);
                // The JDK's text nests class names ("PKIX path building failed: sun.security…: unable to …"); keep the reason.
                String reason = firstLine(e.getMessage());
                reason = reason.substring(reason.lastIndexOf(": ") + 2);
                throw new UntrustedCertificateException("the server's certificate is not signed by an authority this"
                        + " system trusts (" + reason + ")", fingerprint, e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("JobDeck does not accept TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }

    /** Exactly one certificate, named by its SHA-256 fingerprint. */
    private record PinnedTrustManager(String fingerprint) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server presented no certificate");
            }
            chain[0].checkValidity();
            String presented = CertificateFingerprint.of(chain[0]);
            if (!presented.equals(fingerprint)) {
                throw new UntrustedCertificateException("the server's certificate is not the trusted one (expected "
                        + CertificateFingerprint.display(fingerprint) + ")", presented, null);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("JobDeck does not accept TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Remembers the last TLS socket it made, so the negotiated protocol can be reported. */
    private static final class RecordingFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;
        private volatile SSLSocket last;

        RecordingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket record(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                last = ssl;
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return record(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return record(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return record(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return record(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    private static String firstLine(String s) {
        return FailureClassifier.firstLine(s);
    }
}
