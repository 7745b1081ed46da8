package dev.jobdeck.core.mail;

import java.util.List;

/**
 * What "Test connection" learned about a server.
 *
 * @param greeting the server's 220 greeting line
 * @param tlsProtocol the negotiated TLS version (e.g. {@code TLSv1.3}), or empty for a plain connection
 * @param cipherSuite the negotiated cipher suite, or empty
 * @param capabilities the EHLO extensions the server offers (after STARTTLS, when used), e.g. {@code AUTH PLAIN LOGIN}
 * @param authenticatedAs the user name that logged in, or empty when no AUTH was done
 */
public record ConnectionReport(String address, String greeting, String tlsProtocol, String cipherSuite,
                               List<String> capabilities, String authenticatedAs) {

    public ConnectionReport {
        capabilities = List.copyOf(capabilities);
    }

    /** One paragraph for the settings screen. */
    public String summary() {
        StringBuilder out = new StringBuilder("Connected to ").append(address).append('.');
        out.append("\nGreeting: ").append(greeting);
        out.append("\nEncryption: ").append(tlsProtocol.isEmpty() ? "none (plain SMTP)" : tlsProtocol + " (" + cipherSuite + ")");
        out.append("\nCapabilities: ").append(capabilities.isEmpty() ? "(none announced)" : String.join(", ", capabilities));
        out.append("\nLogin: ").append(authenticatedAs.isEmpty() ? "none (no user name set)" : "accepted for " + authenticatedAs);
        return out.toString();
    }
}
