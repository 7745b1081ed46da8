package dev.jobdeck.core.store;

import org.junit.jupiter.api.Assumptions;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * {@link StoreContract} on PostgreSQL: a database of its own, created on {@link #cluster()} for this class, opened as
 * hosts open a shared store ({@link Database#openShared}) and dropped afterwards. Skipped, saying why, when no cluster
 * answers.
 */
class PostgresStoreContractTest extends StoreContract {

    private Cluster cluster;
    private String database;

    /** Where to create the test's database, and an account that may: a superuser of a throw-away cluster. */
    record Cluster(String url, String user, String password) {
    }

    /**
     * The cluster to test on: {@code JOBDECK_DEV_PG_URL}, {@code JOBDECK_DEV_PG_USER} and {@code JOBDECK_DEV_PG_PASSWORD},
     * or else the development machine's own cluster. The one place to change for a cluster the tests start themselves.
     */
    static Cluster cluster() {
        Map<String, String> environment = System.getenv();
        return new Cluster(environment.getOrDefault("JOBDECK_DEV_PG_URL", "jdbc:postgresql://127.0.0.1:55432/postgres"),
                environment.getOrDefault("JOBDECK_DEV_PG_USER", "jobdeck_dev"),
                environment.getOrDefault("JOBDECK_DEV_PG_PASSWORD", "secret"));
    }

    @Override
    protected Database openStore(Path directory) throws Exception {
        cluster = cluster();
        String name = "jobdeck_contract_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = connect(cluster.url()); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String why = "No PostgreSQL for the store contract at " + cluster.url() + " (" + e.getMessage()
                    + "); set JOBDECK_DEV_PG_URL, JOBDECK_DEV_PG_USER and JOBDECK_DEV_PG_PASSWORD to run it";
            System.err.println("SKIPPED " + getClass().getSimpleName() + ": " + why);
            Assumptions.abort(why);
        }
        database = name;
        return Database.openShared(new DataDirectory(directory), inDatabase(cluster.url(), name), cluster.user(),
                cluster.password(), 8);
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Override
    protected void dropStore() throws Exception {
        if (database != null) {
            try (Connection admin = connect(cluster.url()); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.user());
        properties.setProperty("password", cluster.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(url, properties);
    }

    /** The cluster's URL with another database in its path. */
    private static String inDatabase(String url, String database) {
        URI uri = URI.create(url.substring("jdbc:".length()));
        return "jdbc:" + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
