package dev.jobdeck.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;

/**
 * Not a test: a bare GreenMail SMTP server for {@code bench/throughput.sh}, run in its own JVM as "another local
 * SMTP server" (no JobDeck code, no H2). Prints its port, then, for every line read on standard input, the number
 * of received messages; after the line {@code reset} it also empties itself (GreenMail keeps every message and a user per
 * recipient in memory, which slows a later run down). Exits when standard input closes.
 */
public final class BareGreenMail {

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        System.out.println("port=" + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            int received = greenMail.getReceivedMessages().length;
            if (line.equals("reset")) {
                // Not GreenMail.reset(): that restarts the server, and a client connecting at once is refused.
                greenMail.purgeEmailFromAllMailboxes();
                for (var user : java.util.List.copyOf(greenMail.getUserManager().listUser())) {
                    greenMail.getUserManager().deleteUser(user);
                }
            }
            // Answered only once emptied: the bench sends again as soon as it reads this, and a message arriving
            // while the users are deleted was refused with 451 (and the purge slowed the phase it overlapped).
            System.out.println("received=" + received);
            System.out.flush();
        }
        greenMail.stop();
    }
}
