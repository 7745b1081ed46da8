package dev.jobdeck.core.jobs.jobrunr;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageException;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.navigation.OffsetBasedPageRequest;
import org.jobrunr.storage.sql.common.DatabaseCreator;
import org.jobrunr.storage.sql.common.JobTable;
import org.jobrunr.storage.sql.common.db.Dialect;
import org.jobrunr.storage.sql.h2.H2StorageProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JobRunr's H2 storage, with its reads of "the oldest jobs in a state" answered from its {@code (state, updatedAt)}
 * index in the index's order, so they cost the page they return and not every job in that state (decision 24).
 *
 * <p>JobRunr asks {@code WHERE state = ? ORDER BY updatedAt LIMIT n}: its fetch of work (every poll, and whenever a
 * worker frees up), the orphan check, the deletion of old succeeded jobs, and the Scheduled jobs now due. H2 (2.4.240, and 2.5.252 alike) uses an
 * index for an ORDER BY only when the index starts with the ORDER BY's columns; it does not skip a leading column the
 * WHERE fixes to one value. So it read every job in the state (all 100,000 of a backlog, with their JSON) and sorted
 * them, on every fetch, and by a tie in its costs it picked JobRunr's state-only index anyway. Ordered by
 * {@code state, updatedAt}, the same order since the state is fixed, through the {@code (state, updatedAt)} index
 * named in the statement, H2 reads the index in order and stops after n rows. The due Scheduled jobs are read the same
 * way through an index JobDeck adds on {@code (state, scheduledAt)}.
 *
 * <p>This reaches into JobRunr's SQL storage ({@code jobTable}, {@code JobTable}'s selects): its contract test,
 * {@code IndexOrderedFetchTest}, runs JobRunr's own statements against a generated store and fails when a JobRunr
 * upgrade changes their shape.
 */
public final class IndexOrderedH2StorageProvider extends H2StorageProvider {

    /** JobRunr's index on (state ASC, updatedAt ASC), created by its migration v014. */
    public static final String STATE_UPDATED_INDEX = "jobrunr_jobs_state_updated_idx";
    /** JobDeck's index on (state, scheduledAt), for the Scheduled jobs that are due: JobRunr has none. */
    public static final String STATE_SCHEDULED_INDEX = "jd_jobs_state_scheduled_idx";

    private JobMapper jobMapper;

    public IndexOrderedH2StorageProvider(DataSource dataSource, DatabaseOptions options) {
        super(dataSource, options);
    }

    /**
     * After JobRunr's migrations, the index the due Scheduled jobs are read through; by the store's owner only (the
     * others may not create indexes, and must not race its migration).
     */
    @Override
    public void setUpStorageProvider(DatabaseOptions options) {
        super.setUpStorageProvider(options);
        if (options == DatabaseOptions.CREATE) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE INDEX IF NOT EXISTS " + STATE_SCHEDULED_INDEX
                        + " ON jobrunr_jobs (state, scheduledAt)");
            } catch (SQLException e) {
                throw new StorageException(e);
            }
        }
    }

    /** JobRunr picks its migrations by the provider's class: H2's, not this subclass's (which would miss H2's own). */
    @Override
    protected DatabaseCreator getDatabaseCreator() {
        return new DatabaseCreator(dataSource, tablePrefix, H2StorageProvider.class);
    }

    @Override
    public void setJobMapper(JobMapper jobMapper) {
        super.setJobMapper(jobMapper);
        this.jobMapper = jobMapper;
    }

    @Override
    protected JobTable jobTable(Connection connection) {
        return new IndexOrderedJobTable(connection, dialect, tablePrefix, jobMapper);
    }

    /**
     * {@code ORDER BY} terms that H2 serves from the (state, updatedAt) index for jobs of one state, when JobRunr asks
     * for them by {@code updatedAt} alone (as all of its maintenance and its fetch do); empty for any other order, or
     * a page past the first (the dashboard's offsets, which JobDeck does not use), which JobRunr's own SQL keeps.
     */
    public static Optional<String> indexOrder(AmountRequest request) {
        if (request instanceof OffsetBasedPageRequest page && page.getOffset() > 0) {
            return Optional.empty();
        }
        String order = request.getOrder() == null ? "" : request.getOrder().strip().toLowerCase(Locale.ROOT);
        return switch (order) {
            case "updatedat", "updatedat:asc" -> Optional.of("state ASC, updatedAt ASC");
            case "updatedat:desc" -> Optional.of("state DESC, updatedAt DESC");
            default -> Optional.empty();
        };
    }

    private static final class IndexOrderedJobTable extends JobTable {

        private final JobMapper mapper;

        IndexOrderedJobTable(Connection connection, Dialect dialect, String tablePrefix, JobMapper mapper) {
            super(connection, dialect, tablePrefix, mapper);
            this.mapper = mapper;
        }

        @Override
        public List<Job> selectJobsToProcess(AmountRequest request) {
            Optional<String> order = indexOrder(request);
            if (order.isEmpty()) {
                return super.selectJobsToProcess(request);
            }
            withState(StateName.ENQUEUED);
            return jobs("where state = :state", order.get(), request);
        }

        @Override
        public List<Job> selectJobsByState(StateName state, AmountRequest request) {
            Optional<String> order = indexOrder(request);
            if (order.isEmpty()) {
                return super.selectJobsByState(state, request);
            }
            withState(state);
            return jobs("where state = :state", order.get(), request);
        }

        @Override
        public List<Job> selectJobsByState(StateName state, Instant updatedBefore, AmountRequest request) {
            Optional<String> order = indexOrder(request);
            if (order.isEmpty()) {
                return super.selectJobsByState(state, updatedBefore, request);
            }
            withState(state).withUpdatedBefore(updatedBefore);
            return jobs("where state = :state AND updatedAt <= :updatedBefore", order.get(), request);
        }

        /**
         * The Scheduled jobs due by {@code scheduledBefore} (JobRunr's ProcessScheduledJobsTask, every poll), earliest
         * due first rather than oldest updated: JobRunr enqueues every due job in the same run, page after page, so
         * only the order within the run changes, and H2 reads just the due ones instead of every Scheduled job.
         */
        @Override
        public List<Job> selectJobsWithStateBefore(StateName state, Instant scheduledBefore, AmountRequest request) {
            Optional<String> order = indexOrder(request);
            if (order.isEmpty()) {
                return super.selectJobsWithStateBefore(state, scheduledBefore, request);
            }
            withState(state).withScheduledAt(scheduledBefore);
            return jobs(STATE_SCHEDULED_INDEX, "where state = :state and scheduledAt <= :scheduledAt",
                    order.get().replace("updatedAt", "scheduledAt"), request);
        }

        private List<Job> jobs(String where, String order, AmountRequest request) {
            return jobs(STATE_UPDATED_INDEX, where, order, request);
        }

        private List<Job> jobs(String index, String where, String order, AmountRequest request) {
            with("limit", request.getLimit());
            return select("jobAsJson from jobrunr_jobs USE INDEX (" + index + ") " + where
                    + " ORDER BY " + order + " " + dialect.limit())
                    .map(row -> mapper.deserializeJob(row.asString("jobAsJson")))
                    .toList();
        }
    }
}
