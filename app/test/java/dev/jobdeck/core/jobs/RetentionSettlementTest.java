package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.StoreGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settlement (decision 26) walks the open e-mails in ranges of a number of them per commit (decision 31): whatever
 * that number, every e-mail delivered for good is settled and counted once, in its batch's total and the everything
 * row, and nothing else is.
 */
class RetentionSettlementTest {

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
    @ValueSource(ints = {1, 7, RetentionPass.SETTLE_CHUNK})
    void everyDeliveredEmailIsSettledAndCountedOnceWhateverTheRangeSize(int chunk) throws Exception {
        services = Consoles.open(temp.resolve("data"));
        StoreGenerator.Summary summary = new StoreGenerator(11, Instant.now(), StoreGenerator.Mix.realistic())
                .fill(services, 400, written -> { });
        DataSource dataSource = services.parts().database().dataSource();
        SurvivalReport.Ledger ledger = services.parts().reports().ledger(Optional.empty());
        execute(dataSource, "UPDATE jd_email SET settled_at = NULL");
        execute(dataSource, "DELETE FROM jd_ledger_total");

        long settled = RetentionPass.settle(dataSource, Clock.systemUTC(), chunk);

        assertThat(settled).isEqualTo(summary.delivered()).isPositive();
        assertThat(rows(dataSource, "SELECT COUNT(*) FROM jd_email WHERE settled_at IS NOT NULL"))
                .containsExactly(String.valueOf(summary.delivered()));
        assertThat(rows(dataSource, "SELECT batch_id, accepted, delivered, succeeded, deleted FROM jd_ledger_total"
                + " WHERE batch_id <> '" + RetentionPass.EVERYTHING + "' ORDER BY batch_id"))
                .as("per batch: its delivered e-mails, counted as accepted, delivered and succeeded")
                .isEqualTo(rows(dataSource, "SELECT batch_id, COUNT(*), COUNT(*), COUNT(*), 0 FROM jd_email e"
                        + " WHERE e.batch_id IS NOT NULL AND " + SurvivalReports.DELIVERED
                        + " AND e.kind IN ('ONE_OFF', 'RECURRING_RUN') AND COALESCE((SELECT j.state FROM jobrunr_jobs j"
                        + " WHERE j.id = e.job_id), 'SUCCEEDED') = 'SUCCEEDED' GROUP BY e.batch_id ORDER BY e.batch_id"));
        assertThat(rows(dataSource, "SELECT accepted, delivered, succeeded FROM jd_ledger_total WHERE batch_id = '"
                + RetentionPass.EVERYTHING + "'")).containsExactly(String.join(",", List.of(
                String.valueOf(summary.delivered()), String.valueOf(summary.delivered()),
                String.valueOf(summary.delivered()))));
        assertThat(services.parts().reports().ledger(Optional.empty())).as("the report reads the same").isEqualTo(ledger);
        assertThat(RetentionPass.settle(dataSource, Clock.systemUTC(), chunk)).as("nothing left to settle").isZero();
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
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
