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
 */
public final class StartTlsFront implements AutoCloseable {

    private static final String KEYSTORE = "/greenmail.p12";
    private static final char[] KEYSTORE_PASSWORD = "changeit".toCharArray();

    private final int upstreamPort;
    private final ServerSocket server;
    private final SSLContext tls;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public StartTlsFront(int upstreamPort) throws Exception {
        this.upstreamPort = upstreamPort;
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
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            write(toClient, readReply(fromUpstream));
            while (true) {
                String command = readLine(fromClient);
                if (command == null) {
                    return;
                }
                String verb = command.strip().toUpperCase();
                if (verb.equals("STARTTLS")) {
                    write(toClient, List.of("220 2.0.0 Ready to start TLS"));
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
                    secure.setUseClientMode(false);
                    secure.startHandshake();
                    sockets.add(secure);
                    pump(secure, upstream);
                    return;
                }
                write(toUpstream, List.of(command));
                List<String> reply = readReply(fromUpstream);
                if (verb.startsWith("EHLO")) {
                    String last = reply.get(reply.size() - 1);
                    reply = new java.util.ArrayList<>(reply.subList(0, reply.size() - 1));
                    reply.add(last.replaceFirst("^250 ", "250-"));
                    reply.add("250 STARTTLS");
                }
                write(toClient, reply);
            }
        } catch (IOException e) {
            // The client went away; nothing to relay any more.
        }
    }

    private void pump(SSLSocket client, Socket upstream) throws IOException {
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
