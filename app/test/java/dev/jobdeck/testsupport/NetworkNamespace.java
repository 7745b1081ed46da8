package dev.jobdeck.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Linux network namespace of its own for a test, joined to this machine by a veth pair on a /30: this side
 * {@code 10.231.N.1}, the namespace's side {@code 10.231.N.2}. Inside, {@code 127.0.0.1} is the namespace's own
 * loopback, so a process started there with {@link #command(List)} reaches this machine's services only on
 * {@link #hostAddress()}, as a host on another machine would.
 * <p>
 * Needs root and {@code ip netns} ({@link #available()}; {@link #assumeAvailable()} skips a test with the reason).
 * Named {@code jdns-PID-K} after this JVM's pid, so the next one removes what a JVM killed before its
 * {@link #close()} left behind; deleting a namespace deletes its veth pair too.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String PREFIX = "jdns-";
    private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)-\\d+");
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String SKIPPED = "Network namespace tests skipped: ";

    private final String name;
    private final int subnet;
    private final Thread cleanupOnExit;

    private NetworkNamespace(String name, int subnet) {
        this.name = name;
        this.subnet = subnet;
        this.cleanupOnExit = new Thread(this::remove, "jobdeck-netns-" + name);
    }

    /** Whether this machine lets this JVM make a namespace and a veth pair; if not, why ({@code null} when it does). */
    public static String unavailableReason() {
        return Probe.REASON;
    }

    public static boolean available() {
        return Probe.REASON == null;
    }

    /** Skips the calling test, saying why once on standard error, where no namespace can be made. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), () -> SKIPPED + Probe.REASON);
    }

    /** A new namespace with its veth pair up and addressed; the caller closes it. */
    public static NetworkNamespace open() throws IOException, InterruptedException {
        removeLeftovers();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        int subnet = freeSubnet();
        NetworkNamespace namespace = new NetworkNamespace(name, subnet);
        Runtime.getRuntime().addShutdownHook(namespace.cleanupOnExit);
        try {
            ip("netns", "add", name);
            ip("link", "add", namespace.hostLink(), "type", "veth", "peer", "name", namespace.innerLink());
            ip("link", "set", namespace.innerLink(), "netns", name);
            ip("addr", "add", namespace.hostAddress() + "/30", "dev", namespace.hostLink());
            ip("link", "set", namespace.hostLink(), "up");
            ip("-n", name, "addr", "add", namespace.innerAddress() + "/30", "dev", namespace.innerLink());
            ip("-n", name, "link", "set", namespace.innerLink(), "up");
            ip("-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    public String name() {
        return name;
    }

    /** This machine's end of the veth pair: what a process in the namespace connects to. */
    public String hostAddress() {
        return "10.231." + subnet + ".1";
    }

    /** The namespace's own address. */
    public String innerAddress() {
        return "10.231." + subnet + ".2";
    }

    /** {@code hostAddress()/30}: the subnet of the pair, for a server's allow list. */
    public String hostCidr() {
        return hostAddress() + "/30";
    }

    /** {@code command} as run inside the namespace: {@code ip netns exec NAME command…} (ip execs it: same pid). */
    public List<String> command(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
        inside.addAll(command);
        return inside;
    }

    /** Whether a TCP connection from inside the namespace to {@code host:port} opens within a few seconds. */
    public boolean canConnect(String host, int port) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(command(List.of("timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port))).redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    private String hostLink() {
        return "jdh" + subnet + "x" + (name.hashCode() & 0xfff);
    }

    private String innerLink() {
        return "jdn" + subnet;
    }

    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // Called from the shutdown hook itself: the JVM is already exiting.
        }
    }

    private void remove() {
        quietly("netns", "delete", name);
        quietly("link", "delete", hostLink());
    }

    /** Namespaces named for a JVM that is gone: a run killed before its {@code close()}. */
    private static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : ip("netns", "list").lines().toList()) {
            Matcher matcher = OURS.matcher(line.split(" ")[0]);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                quietly("netns", "delete", matcher.group());
            }
        }
    }

    /** An N in 1..254 that no address of this machine uses yet, starting from this JVM's pid to keep runs apart. */
    private static int freeSubnet() throws IOException, InterruptedException {
        Set<Integer> used = Pattern.compile("10\\.231\\.(\\d+)\\.").matcher(ip("-o", "-4", "addr", "show")).results()
                .map(match -> Integer.parseInt(match.group(1))).collect(Collectors.toSet());
        int start = (int) (ProcessHandle.current().pid() % 254) + NEXT.get();
        for (int i = 0; i < 254; i++) {
            int candidate = (start + i) % 254 + 1;
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("every subnet 10.231.1-254.0/30 is in use on this machine");
    }

    private static String ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static void quietly(String... arguments) {
        try {
            ip(arguments);
        } catch (IOException e) {
            // Already gone (or never made): nothing to remove.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tries once per JVM: root, an {@code ip} that makes a namespace and a veth pair. */
    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            if (!"Linux".equals(System.getProperty("os.name"))) {
                return "network namespaces are Linux's, this is " + System.getProperty("os.name");
            }
            String name = PREFIX + ProcessHandle.current().pid() + "-0";
            try {
                ip("netns", "add", name);
                try {
                    ip("-n", name, "link", "add", "jdprobe0", "type", "veth", "peer", "name", "jdprobe1");
                } finally {
                    quietly("netns", "delete", name);
                }
                return null;
            } catch (IOException e) {
                return e.getMessage() + " (needs root and iproute2's ip netns)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while trying ip netns";
            }
        }
    }
}
