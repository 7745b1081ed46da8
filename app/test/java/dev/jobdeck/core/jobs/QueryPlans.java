package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.jobrunr.JobPageSql;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** H2's own account of a statement's reads, for the tests that pin a query to its indexes. */
final class QueryPlans {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private QueryPlans() {
    }

    /** {@code EXPLAIN ANALYZE} of {@code statement} with its parameters: the plan H2 ran, with the rows each step read. */
    static String explainAnalyze(DataSource dataSource, JobPageSql.Sql statement) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement explain = new JobPageSql.Sql("EXPLAIN ANALYZE " + statement.text(),
                     statement.parameters()).prepare(connection);
             ResultSet plan = explain.executeQuery()) {
            plan.next();
            return plan.getString(1);
        }
    }

    /** The rows each step of {@code plan} read, in the plan's order. */
    static List<Long> scanCounts(String plan) {
        List<Long> counts = new ArrayList<>();
        Matcher matcher = SCAN_COUNT.matcher(plan);
        while (matcher.find()) {
            counts.add(Long.parseLong(matcher.group(1)));
        }
        return counts;
    }
}
