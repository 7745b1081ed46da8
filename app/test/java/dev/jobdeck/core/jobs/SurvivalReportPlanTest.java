package dev.jobdeck.core.jobs;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.testsupport.StoreGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The survival report's ledger over a generated store reads its open e-mails, their attempts and the retried e-mails
 * from indexes alone (H2's own plan says so): the cost of {@code status} and {@code report} at a million jobs is
 * index entries, not the e-mails' rows with their bodies.
 */
class SurvivalReportPlanTest {

    @TempDir
    Path temp;

    private ConsoleServices store;

    @BeforeEach
    void open() throws Exception {
        store = ConsoleServices.open(new DataDirectory(temp), ConsoleServices.Options.storeOnly());
        new StoreGenerator(5, Instant.now(), StoreGenerator.Mix.realistic()).fill(store, 400, written -> { });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theLedgerOverTheWholeStoreReadsIndexesNotRows() throws Exception {
        String plan = explain(SurvivalReports.ledgerStatement(Optional.empty()));

        assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan")
                .contains("JD_EMAIL_OPEN_IDX", "JD_ATTEMPT_EMAIL_TWICE_IDX", "JD_ATTEMPT_NUMBER_EMAIL_IDX")
                // The retried e-mails' ids come from the attempts: H2's plan reads e-mails for the open ones only.
                .doesNotContain("JOIN PUBLIC.JD_EMAIL E", "JOIN \"PUBLIC\".\"JD_EMAIL\" \"E\"");
        assertThat(store.parts().reports().ledger(Optional.empty()).accepted()).isPositive();
    }

    private String explain(String sql) throws SQLException {
        try (Connection connection = store.parts().database().dataSource().getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
            explain.setObject(1, RetentionPass.EVERYTHING);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        }
    }
}
