package dev.jobdeck.core.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner's health check asks the database to answer within 10 s. H2 keeps such a timeout on the session, so a
 * pooled connection the check used once cancelled every later statement that ran longer, whoever borrowed it:
 * JobRunr's start-up check and the survival report at a million jobs failed with "Statement was canceled".
 */
class HealthPingTimeoutTest {

    @TempDir
    Path temp;

    @Test
    void noPooledConnectionKeepsTheHealthChecksTimeout() throws Exception {
        try (ConsoleServices services = Consoles.open(temp.resolve("data"))) {
            // Several checks (every 500 ms), each on a connection of the pool.
            Thread.sleep(3 * StoreHealthMonitor.CHECK_EVERY.toMillis());
            HikariDataSource pool = services.parts().database().dataSource().unwrap(HikariDataSource.class);
            int connections = pool.getHikariPoolMXBean().getTotalConnections();
            assertThat(connections).isPositive();
            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    borrowed.add(pool.getConnection());
                }
                for (Connection connection : borrowed) {
                    try (Statement statement = connection.createStatement()) {
                        assertThat(statement.getQueryTimeout()).as("seconds a statement may run").isZero();
                    }
                }
            } finally {
                for (Connection connection : borrowed) {
                    connection.close();
                }
            }
        }
    }
}
