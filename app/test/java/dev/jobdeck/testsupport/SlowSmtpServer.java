package dev.jobdeck.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server on 127.0.0.1 (or an address given) whose every accepted message takes {@code delay} before the final 250: sends
 * that "take a while", so a crash reliably lands while jobs are in flight. It records each accepted message's
 * Message-ID, so a test can count duplicate deliveries exactly.
 */
public final class SlowSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger openSessions = new AtomicInteger();
    private final AtomicInteger maxOpenSessions = new AtomicInteger();
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private volatile Duration delay;

    public SlowSmtpServer(Duration delay) throws IOException {
        this(delay, InetAddress.getLoopbackAddress());
    }

    /** The same server on {@code address} instead of 127.0.0.1 (e.g. the host's end of a test's veth pair). */
    public SlowSmtpServer(Duration delay, InetAddress address) throws IOException {
        this.delay = delay;
        this.socket = new ServerSocket(0, 200, address);
        connections.execute(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void delay(Duration newDelay) {
        delay = newDelay;
    }

    /** Message-IDs of all messages the server answered 250 to, in order, duplicates included. */
    public List<String> acceptedMessageIds() {
        return List.copyOf(accepted);
    }

    /** Message-IDs accepted more than once, with how often. */
    public Map<String, Integer> duplicates() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        accepted.forEach(id -> counts.merge(id, 1, Integer::sum));
        counts.values().removeIf(count -> count < 2);
        return counts;
    }

    /** When each message was answered 250 ({@link System#nanoTime()}), in order. */
    public List<Long> acceptedAtNanos() {
        return List.copyOf(acceptedAtNanos);
    }

    /** SMTP sessions (connections) opened so far. */
    public int sessions() {
        return sessions.get();
    }

    /** The most sessions that were open at the same time. */
    public int maxOpenSessions() {
        return maxOpenSessions.get();
    }

    public int openSessions() {
        return openSessions.get();
    }

    /** How often a command (e.g. "RSET", "QUIT") was received. */
    public int count(String command) {
        return commands.getOrDefault(command, new AtomicInteger()).get();
    }

    /** Closes every open connection without a word, as a server that restarts or times clients out does. */
    public void dropConnections() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        sessions.incrementAndGet();
        maxOpenSessions.accumulateAndGet(openSessions.incrementAndGet(), Math::max);
        clients.add(client);
        try {
            converse(client);
        } finally {
            openSessions.decrementAndGet();
            clients.remove(client);
        }
    }

    private void converse(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream out = client.getOutputStream()) {
            reply(out, "220 slow.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                commands.computeIfAbsent(command, c -> new AtomicInteger()).incrementAndGet();
                switch (command) {
                    case "EHLO", "HELO" -> reply(out, "250 slow.test");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String messageId = null;
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            if (messageId == null && data.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                                messageId = data.substring(11).trim();
                            }
                        }
                        if (data == null) {
                            // Cut off before the final dot (the client's JVM was killed): not accepted.
                            return;
                        }
                        Thread.sleep(delay.toMillis());
                        accepted.add(messageId == null ? "(none)" : messageId);
                        acceptedAtNanos.add(System.nanoTime());
                        reply(out, "250 OK queued as " + accepted.size());
                    }
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    default -> reply(out, "502 Command not implemented");
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away (its JVM was killed): nothing to answer.
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        connections.shutdownNow();
    }
}
