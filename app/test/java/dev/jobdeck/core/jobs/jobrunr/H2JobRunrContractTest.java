package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.testsupport.StoreKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JobRunrContract} on the embedded default: an H2 file store, made as a console makes it. */
class H2JobRunrContractTest extends JobRunrContract {

    @Override
    protected StoreKind kind() {
        return StoreKind.H2;
    }

    @Override
    protected Map<String, String> expectedColumns() {
        return JobRunrJobs.COLUMNS_ON_H2;
    }

    /** On H2 JobRunr's fetch names JobRunr's own (state, updatedAt) index in the statement (decision 24). */
    @Test
    void theIndexesTheIndexOrderedFetchNamesAreThere() throws Exception {
        assertThat(indexes()).containsEntry(IndexOrderedH2StorageProvider.STATE_UPDATED_INDEX, List.of("STATE", "UPDATEDAT"))
                .containsEntry(IndexOrderedH2StorageProvider.STATE_SCHEDULED_INDEX, List.of("STATE", "SCHEDULEDAT"));
    }
}
