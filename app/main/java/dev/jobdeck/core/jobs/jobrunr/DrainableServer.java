package dev.jobdeck.core.jobs.jobrunr;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.JobSteward;
import org.jobrunr.server.strategy.WorkDistributionStrategy;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.utils.mapper.JsonMapper;

/**
 * A JobRunr server that can stop taking new work while its running jobs carry on: the first half of a
 * recycle. JobRunr's own {@code pauseProcessing()} stops the worker pool, interrupting running jobs after
 * the stop grace; here the server keeps running and only asks for zero new jobs per poll.
 */
public final class DrainableServer extends BackgroundJobServer {

    private volatile boolean draining;
    /** Set while the store is sick (StoreHealthMonitor): no new work, reversibly, unlike a drain. */
    private volatile boolean paused;

    public DrainableServer(StorageProvider storage, JsonMapper jsonMapper, JobActivator activator,
                    BackgroundJobServerConfiguration configuration) {
        super(storage, jsonMapper, activator, configuration);
    }

    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    public void pauseTaking(boolean pause) {
        paused = pause;
    }

    /**
     * Hands queued jobs to idle workers now, the way JobRunr does whenever one of its workers finishes a job,
     * instead of at the next poll (up to {@code pollInterval} away). The occupied notice balances the idle one,
     * which is what starts the onboarding; JobRunr serialises it with the workers' own.
     */
    public void takeWorkNow() {
        if (draining || paused || !isRunning() || isNotReadyToProcessJobs()) {
            return;
        }
        JobSteward steward = getJobSteward();
        steward.notifyThreadOccupied();
        steward.notifyThreadIdle();
    }

    @Override
    protected WorkDistributionStrategy createWorkDistributionStrategy() {
        WorkDistributionStrategy normal = super.createWorkDistributionStrategy();
        return new WorkDistributionStrategy() {
            @Override
            public int getWorkerCount() {
                return normal.getWorkerCount();
            }

            @Override
            public AmountRequest getWorkPageRequest() {
                AmountRequest request = normal.getWorkPageRequest();
                return draining || paused ? new AmountRequest(request.getOrder(), 0) : request;
            }
        };
    }
}
