package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;
import org.jobrunr.jobs.states.StateName;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JobDeck's {@link JobState} and JobRunr's {@link StateName}, one to one by name, and states as they are written in
 * JobRunr's {@code state} column. The only place the two meet: the contract test checks that both enums hold the
 * same names, so a JobRunr upgrade that changes its states fails there instead of in a count or a report.
 */
public final class JobStates {

    /** Every state, in JobDeck's order. */
    public static final List<JobState> ALL = List.of(JobState.values());
    /** States in which a job may still deliver its e-mail. */
    public static final List<JobState> PENDING = Arrays.stream(JobState.values()).filter(JobState::pending).toList();

    private JobStates() {
    }

    public static JobState of(StateName state) {
        return JobState.valueOf(state.name());
    }

    public static StateName toJobRunr(JobState state) {
        return StateName.valueOf(state.name());
    }

    /** The state as a SQL literal of JobRunr's {@code state} column. */
    public static String literal(JobState state) {
        return "'" + state.name() + "'";
    }

    /** {@code column IN ('A', 'B')} for the given states. */
    public static String in(String column, Collection<JobState> states) {
        return column + " IN (" + states.stream().map(JobStates::literal).collect(Collectors.joining(", ")) + ")";
    }
}
