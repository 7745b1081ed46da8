package dev.jobdeck.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS in front of a plain GreenMail SMTP server, which has no STARTTLS of its own: it relays the
 * dialogue, adds STARTTLS to the first EHLO reply, and on STARTTLS switches the client side to TLS
 * with GreenMail's own self-signed certificate, then relays bytes both ways. Everything after the
 * handshake (EHLO again, AUTH, MAIL, DATA) is answered by the real GreenMail behind it.
 *
 * <p>{@link #hidingAuth} makes a server that offers no AUTH (GreenMail always announces it): the front
 * drops the AUTH lines from every EHLO reply, before and after STARTTLS, and can leave STARTTLS out too.
 */
public final class StartTlsFront implements AutoCloseable {

    private static final String KEYSTORE = "/greenmail.p12";
    private static final char[] KEYSTORE_PASSWORD = "changeit".toCharArray();

    private final int upstreamPort;
    private final boolean offerStartTls;
    private final boolean hideAuth;
    private final ServerSocket server;
    private final SSLContext tls;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public StartTlsFront(int upstreamPort) throws Exception {
        this(upstreamPort, true, false);
    }

    /** A front whose EHLO replies offer no AUTH; with {@code offerStartTls} false it speaks plain SMTP only. */
    public static StartTlsFront hidingAuth(int upstreamPort, boolean offerStartTls) throws Exception {
        return new StartTlsFront(upstreamPort, offerStartTls, true);
    }

    private StartTlsFront(int upstreamPort, boolean offerStartTls, boolean hideAuth) throws Exception {
        this.upstreamPort = upstreamPort;
        this.offerStartTls = offerStartTls;
        this.hideAuth = hideAuth;
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(greenMailKeyStore(), KEYSTORE_PASSWORD);
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptUntilClosed);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** GreenMail's bundled key store with its self-signed test certificate. */
    public static KeyStore greenMailKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = StartTlsFront.class.getResourceAsStream(KEYSTORE)) {
            if (in == null) {
                throw new IllegalStateException(KEYSTORE + " is not on the class path (it ships in the GreenMail jar)");
            }
            store.load(in, KEYSTORE_PASSWORD);
        }
        return store;
    }

    /** The SHA-256 fingerprint of GreenMail's certificate, as 64 upper-case hex digits. */
    public static String greenMailFingerprint() throws Exception {
        KeyStore store = greenMailKeyStore();
        X509Certificate cert = (X509Certificate) store.getCertificate(store.aliases().nextElement());
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        return java.util.HexFormat.of().withUpperCase().formatHex(digest);
    }

    private void acceptUntilClosed() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                // Closing the server socket ends this loop.
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            sockets.add(upstream);
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            write(client.getOutputStream(), readReply(fromUpstream));
            Socket side = client;
            boolean secure = false;
            while (true) {
                String command = readLine(side.getInputStream());
                if (command == null) {
                    return;
                }
                String verb = command.strip().toUpperCase();
                if (verb.equals("STARTTLS") && offerStartTls && !secure) {
                    write(side.getOutputStream(), List.of("220 2.0.0 Ready to start TLS"));
                    SSLSocket tlsSide = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
                    tlsSide.setUseClientMode(false);
                    tlsSide.startHandshake();
                    sockets.add(tlsSide);
                    if (!hideAuth) {
                        pump(tlsSide, upstream);
                        return;
                    }
                    // The EHLO after the handshake still needs its AUTH lines dropped; then bytes are relayed as they are.
                    side = tlsSide;
                    secure = true;
                    continue;
                }
                write(toUpstream, List.of(command));
                List<String> reply = readReply(fromUpstream);
                boolean ehlo = verb.startsWith("EHLO");
                if (ehlo) {
                    reply = ehloReply(reply, offerStartTls && !secure);
                }
                write(side.getOutputStream(), reply);
                if (ehlo && hideAuth && (secure || !offerStartTls)) {
                    // No more EHLO replies to edit: relay the rest (MAIL, DATA and the message) byte for byte.
                    pump(side, upstream);
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to relay any more.
        }
    }

    /** GreenMail's EHLO reply, less its AUTH lines when hiding them, plus STARTTLS when offered. */
    private List<String> ehloReply(List<String> reply, boolean addStartTls) {
        List<String> extensions = new java.util.ArrayList<>();
        for (String line : reply.subList(1, reply.size())) {
            String extension = line.substring(4);
            if (!(hideAuth && extension.toUpperCase().startsWith("AUTH"))) {
                extensions.add(extension);
            }
        }
        if (addStartTls) {
            extensions.add("STARTTLS");
        }
        List<String> out = new java.util.ArrayList<>();
        String greeting = reply.get(0).substring(4);
        out.add((extensions.isEmpty() ? "250 " : "250-") + greeting);
        for (int i = 0; i < extensions.size(); i++) {
            out.add((i == extensions.size() - 1 ? "250 " : "250-") + extensions.get(i));
        }
        return out;
    }

    private void pump(Socket client, Socket upstream) throws IOException {
        var back = threads.submit(() -> copy(upstream.getInputStream(), client.getOutputStream()));
        copy(client.getInputStream(), upstream.getOutputStream());
        back.cancel(true);
    }

    private static Void copy(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed; the other follows.
        }
        return null;
    }

    /** Reads byte by byte, so nothing past the line is buffered away before the TLS switch. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static List<String> readReply(InputStream in) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        String line;
        do {
            line = readLine(in);
            if (line == null) {
                throw new IOException("upstream closed");
            }
            lines.add(line);
        } while (line.length() >= 4 && line.charAt(3) == '-');
        return lines;
    }

    private static void write(OutputStream out, List<String> lines) throws IOException {
        for (String line : lines) {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(2, TimeUnit.SECONDS);
    }
}
