package dev.jobdeck.bench;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.ReportJson;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.SurvivalReport;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.Incident;
import dev.jobdeck.testsupport.SlowSmtpServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a unit test: {@code bench/chaos.sh} runs it. Three worker JVMs deliver a batch to a real SMTP server whose
 * sends take a while; chaos crashes ({@code kill -9}) a random host every few seconds for the whole run, and the
 * console replaces each one. At the end every accepted e-mail must be delivered (lost = 0), and every message the
 * server received twice must be one of the report's re-executions.
 */
public final class ChaosBench {

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int emails = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Duration every = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 20);
        Duration sendTime = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 900);
        int workersPerHost = 8;
        Path dir = Files.createTempDirectory("jobdeck-chaos");
        System.out.printf("chaos: %d e-mails, %d hosts x %d workers, sends take %d ms, a crash every %d s for %d min%n",
                emails, hosts, workersPerHost, sendTime.toMillis(), every.toSeconds(), run.toMinutes());
        try (SlowSmtpServer smtp = new SlowSmtpServer(sendTime);
             ConsoleServices console = ConsoleServices.open(new DataDirectory(dir), ConsoleServices.Options.console())) {
            console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
            HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
            supervisor.startWorkers(hosts, HostRecord.Kind.WORKER, workersPerHost);
            long start = System.nanoTime();
            QueueResult batch = console.parts().queue().queue(new SendRequest("chaos@jobdeck.test",
                    IntStream.rangeClosed(1, emails).mapToObj(i -> "user" + i + "@example.org")
                            .collect(Collectors.joining("\n")), "", "", "chaos run", "body", new When.Now()));
            supervisor.startChaos(every);
            Optional<java.util.UUID> batchId = Optional.of(batch.batchId());
            while (System.nanoTime() - start < run.toNanos()) {
                Thread.sleep(30_000);
                SurvivalReport.Ledger ledger = console.parts().reports().ledger(batchId);
                System.out.printf("%4d s: delivered %d, pending %d, lost %d, re-executed %d, crashes %d%n",
                        (System.nanoTime() - start) / 1_000_000_000L, ledger.delivered(), ledger.pending(),
                        ledger.lost(), ledger.reExecuted(), supervisor.chaosCrashes());
            }
            supervisor.stopChaos();
            long stoppedChaos = System.nanoTime();
            while (console.parts().reports().ledger(batchId).delivered() < emails
                    && System.nanoTime() - stoppedChaos < Duration.ofMinutes(10).toNanos()) {
                Thread.sleep(2_000);
            }
            double total = (System.nanoTime() - start) / 1e9;
            SurvivalReport report = console.parts().reports().report(batchId, 1_000);
            Files.writeString(Path.of("target", "chaos-report.json"), ReportJson.toJson(report));
            SurvivalReport.Ledger ledger = report.ledger();
            Set<String> reExecutedIds = report.reExecutions().stream().map(SurvivalReport.ReExecution::messageId)
                    .collect(Collectors.toSet());
            Map<String, Integer> duplicates = smtp.duplicates();
            long unaccounted = duplicates.keySet().stream().filter(id -> !reExecutedIds.contains(id)).count();
            List<Double> recoveries = report.incidents().stream()
                    .filter(incident -> incident.action() == Incident.Action.CRASH && incident.allDoneAfter() != null
                            && !incident.jobs().isEmpty())
                    .map(incident -> incident.allDoneAfter().toMillis() / 1000.0).sorted().toList();
            System.out.printf("done in %.0f s: accepted %d, delivered %d, failed %d, pending %d, LOST %d%n", total,
                    ledger.accepted(), ledger.delivered(), ledger.failed(), ledger.pending(), ledger.lost());
            System.out.printf("crashes %d (incidents %d); re-executed %d; server received %d messages, %d distinct,"
                            + " %d Message-IDs twice, %d of them not in the report%n", supervisor.chaosCrashes(),
                    report.incidents().size(), ledger.reExecuted(), smtp.acceptedMessageIds().size(),
                    smtp.acceptedMessageIds().stream().distinct().count(), duplicates.size(), unaccounted);
            if (!recoveries.isEmpty()) {
                System.out.printf("per crash, kill -9 to all its in-flight jobs done: median %.1f s, max %.1f s (%d crashes"
                        + " with jobs in flight)%n", recoveries.get(recoveries.size() / 2), recoveries.get(recoveries.size() - 1),
                        recoveries.size());
            }
            System.out.println("report: target/chaos-report.json");
        }
    }
}
