package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.StoreKind;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retention pass (decision 26) on a PostgreSQL store: the settlement's statements in PostgreSQL's words count every
 * delivered e-mail once, as RetentionSettlementTest checks on H2, and a console's pass runs only while no other holds
 * the store's lock for it.
 */
class RetentionOnPostgresTest {

    @TempDir
    Path temp;

    private ConsoleServices services;

    @AfterEach
    void close() {
        if (services != null) {
            services.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {7, RetentionPass.SETTLE_CHUNK})
    void everyDeliveredEmailIsSettledAndCountedOnceAndTheReportIsTheRecomputedLedger(int chunk) throws Exception {
        long delivered = deliverThenOpenAsScript();
        DataSource dataSource = services.parts().database().dataSource();

        long settled = RetentionPass.settle(dataSource, Clock.systemUTC(), chunk);

        assertThat(settled).isEqualTo(delivered).isPositive();
        assertThat(rows(dataSource, "SELECT COUNT(*) FROM jd_email WHERE settled_at IS NOT NULL"))
                .containsExactly(String.valueOf(delivered));
        assertThat(rows(dataSource, "SELECT batch_id, accepted, delivered, succeeded, deleted FROM jd_ledger_total"
                + " WHERE batch_id <> '" + RetentionPass.EVERYTHING + "' ORDER BY batch_id"))
                .as("per batch: its delivered e-mails, counted as accepted, delivered and succeeded")
                .isEqualTo(rows(dataSource, "SELECT batch_id, COUNT(*), COUNT(*), COUNT(*), 0 FROM jd_email e"
                        + " WHERE e.batch_id IS NOT NULL AND " + SurvivalReports.DELIVERED
                        + " AND e.kind IN ('ONE_OFF', 'RECURRING_RUN') AND COALESCE((SELECT j.state FROM jobrunr_jobs j"
                        + " WHERE j.id = e.job_id), 'SUCCEEDED') = 'SUCCEEDED' GROUP BY e.batch_id ORDER BY e.batch_id"));
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(services.parts().reports().recomputedLedger());
        assertThat(RetentionPass.settle(dataSource, Clock.systemUTC(), chunk)).as("nothing left to settle").isZero();
    }

    @Test
    void aPassRunsOnlyWhileNoOtherConsoleRunsOneAndKeepsTheLedger() throws Exception {
        long delivered = deliverThenOpenAsScript();
        DataSource dataSource = services.parts().database().dataSource();
        SurvivalReport.Ledger before = services.parts().reports().recomputedLedger();

        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            // Another console's pass (the lock is a session's: any other connection stands for another machine).
            statement.execute("SELECT pg_advisory_lock(" + 0x4a445245544eL + ")");
            assertThat(services.parts().retentionPass().run()).isEqualTo(new RetentionPass.Result(0, 0, 0));
            assertThat(rows(dataSource, "SELECT COUNT(*) FROM jd_email WHERE settled_at IS NOT NULL")).containsExactly("0");
            statement.execute("SELECT pg_advisory_unlock(" + 0x4a445245544eL + ")");
        }
        RetentionPass.Result result = services.parts().retentionPass().run();

        assertThat(result.settled()).isEqualTo(delivered).isPositive();
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(services.parts().reports().recomputedLedger())
                .isEqualTo(before);
    }

    @Test
    void aConsoleOfAPostgresStoreRunsThePassOnItsOwn() throws Exception {
        // A pass every second rather than every minute: the schedule is what is tested, not its period.
        services = StoreKind.POSTGRESQL.open(temp.resolve("data"), ConsoleServices.Options.console()
                .withPeriods(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        long delivered = deliver();

        // The console's schedule, not a call: every delivered e-mail gets settled.
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(rows(services.parts().database().dataSource(),
                "SELECT COUNT(*) FROM jd_email WHERE settled_at IS NOT NULL")).containsExactly(String.valueOf(delivered)));
        assertThat(services.parts().reports().ledger(Optional.empty())).isEqualTo(services.parts().reports().recomputedLedger());
    }

    /**
     * Delivers as {@link #deliver} through a console, closes it, and opens the store as a script (which runs no pass of
     * its own), everything unsettled again, as the console's schedule may have settled some meanwhile.
     */
    private long deliverThenOpenAsScript() throws Exception {
        Path data = temp.resolve("data");
        services = StoreKind.POSTGRESQL.open(data, ConsoleServices.Options.console());
        long delivered = deliver();
        services.close();
        services = ConsoleServices.open(new DataDirectory(data), ConsoleServices.Options.storeOnly());
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE jd_email SET settled_at = NULL");
            statement.execute("DELETE FROM jd_ledger_total");
        }
        return delivered;
    }

    /**
     * E-mails delivered for real: single jobs and bulk jobs (decision 10) through the console's host to its sink, and
     * one job deleted before it ran (its e-mail never settles); returns how many were delivered.
     */
    private long deliver() throws Exception {
        QueueResult singles = services.parts().queue().queue(Consoles.email("ann@example.org,\nbob@example.org,\ncid@example.org"));
        services.parts().commands().delete(List.of(singles.jobIds().get(2)));
        String many = IntStream.range(0, 120).mapToObj(i -> "r" + i + "@example.org").collect(Collectors.joining(",\n"));
        QueueResult bulk = services.parts().queue().queue(Consoles.email(many));
        services.startHost();
        singles.jobIds().subList(0, 2).forEach(id -> Consoles.awaitState(services, id, StateName.SUCCEEDED));
        new LinkedHashSet<>(bulk.jobIds()).forEach(id -> Consoles.awaitState(services, id, StateName.SUCCEEDED));
        return 122;
    }

    /** Each row's columns joined by commas. */
    private static List<String> rows(DataSource dataSource, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    row.add(rows.getString(column));
                }
                result.add(String.join(",", row));
            }
        }
        return result;
    }
}
