package dev.jobdeck.core.jobs.jobrunr;

import dev.jobdeck.core.jobs.query.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.jobrunr.server.strategy.WorkDistributionStrategy;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.sql.h2.H2StorageProvider;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the door to JobRunr relies on in JobRunr's classes, beyond its public API: the version it was written for, its
 * states, and the protected methods its subclasses of JobRunr's server and H2 storage override. A JobRunr upgrade that
 * changes one fails here, by name, before a recycle silently stops draining or a fetch silently reads a million rows.
 */
class JobRunrHooksContractTest {

    @Test
    void jobRunrIsTheVersionTheDoorWasWrittenFor() {
        assertThat(BackgroundJobServer.class.getPackage().getImplementationVersion())
                .as("JobRunr was upgraded: check the door (decision 42), then JobRunrJobs.WRITTEN_FOR")
                .isEqualTo(JobRunrJobs.WRITTEN_FOR);
    }

    @Test
    void jobDecksStatesAreJobRunrsStatesByName() {
        assertThat(Arrays.stream(StateName.values()).map(Enum::name))
                .as("a state JobRunr adds or renames must be placed in JobState, the counts and the survival report")
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(JobState.values()).map(Enum::name).toList());
        for (JobState state : JobState.values()) {
            assertThat(JobStates.of(JobStates.toJobRunr(state))).isEqualTo(state);
        }
        assertThat(JobStates.PENDING).containsExactly(JobState.AWAITING, JobState.SCHEDULED, JobState.ENQUEUED,
                JobState.PROCESSING);
    }

    /** A recycle's drain asks JobRunr's server for zero jobs per poll through the strategy it builds (DrainableServer). */
    @Test
    void theDrainHookIsAProtectedFactoryOfJobRunrsServerThatDrainableServerOverrides() throws Exception {
        Method hook = BackgroundJobServer.class.getDeclaredMethod("createWorkDistributionStrategy");
        assertThat(Modifier.isProtected(hook.getModifiers()) && !Modifier.isFinal(hook.getModifiers())).isTrue();
        assertThat(hook.getReturnType()).isEqualTo(WorkDistributionStrategy.class);
        assertThat(DrainableServer.class.getDeclaredMethod("createWorkDistributionStrategy").getReturnType())
                .isEqualTo(WorkDistributionStrategy.class);

        assertThat(abstractMethods(WorkDistributionStrategy.class))
                .as("the drain wraps every method of JobRunr's strategy").containsExactlyInAnyOrder(
                        "int getWorkerCount()", "AmountRequest getWorkPageRequest()");
        assertThat(AmountRequest.class.getConstructor(String.class, Integer.class)).isNotNull();
        assertThat(AmountRequest.class.getMethod("getOrder").getReturnType()).isEqualTo(String.class);
    }

    /** Taking work now (a host told of new jobs) pokes JobRunr's steward as its own workers do when they finish. */
    @Test
    void theTakeWorkNowHookReachesJobRunrsSteward() throws Exception {
        assertThat(BackgroundJobServer.class.getMethod("getJobSteward").getReturnType()).isEqualTo(JobSteward.class);
        assertThat(BackgroundJobServer.class.getMethod("isNotReadyToProcessJobs").getReturnType()).isEqualTo(boolean.class);
        assertThat(JobSteward.class.getMethod("notifyThreadOccupied")).isNotNull();
        assertThat(JobSteward.class.getMethod("notifyThreadIdle")).isNotNull();
    }

    /** Every method the door's subclasses of JobRunr's classes declare, but their own few, overrides one of JobRunr's. */
    @Test
    void everyOverrideInTheDoorStillHasAJobRunrMethodToOverride() {
        assertThat(notOverriding(DrainableServer.class, Set.of("drain", "isDraining", "pauseTaking", "takeWorkNow")))
                .isEmpty();
        assertThat(notOverriding(IndexOrderedH2StorageProvider.class, Set.of("indexOrder"))).isEmpty();
        assertThat(Arrays.stream(IndexOrderedH2StorageProvider.class.getDeclaredClasses())
                .flatMap(inner -> notOverriding(inner, Set.of()).stream())).isEmpty();
        assertThat(IndexOrderedH2StorageProvider.class.getSuperclass()).isEqualTo(H2StorageProvider.class);
    }

    /** JobRunr's tables are named in SQL only behind the door: anyone else asks it. */
    @Test
    void noMainClassOutsideTheDoorNamesJobRunrsTables() throws Exception {
        Path door = Path.of("app/main/java/dev/jobdeck/core/jobs/jobrunr");
        List<String> offenders = new ArrayList<>();
        try (var files = Files.walk(Path.of("app/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(door)).toList()) {
                if (Files.readString(file).toLowerCase(Locale.ROOT).contains("jobrunr_")) {
                    offenders.add(file.toString());
                }
            }
        }
        assertThat(offenders).as("classes naming JobRunr's tables outside the door").isEmpty();
    }

    private static List<String> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter(method -> Modifier.isAbstract(method.getModifiers()))
                .map(method -> method.getReturnType().getSimpleName() + " " + method.getName() + "("
                        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ")) + ")")
                .toList();
    }

    private static List<String> notOverriding(Class<?> type, Set<String> own) {
        List<String> missing = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (method.isSynthetic() || Modifier.isPrivate(method.getModifiers()) || own.contains(method.getName())) {
                continue;
            }
            if (superMethod(type.getSuperclass(), method).isEmpty()) {
                missing.add(method.toString());
            }
        }
        return missing;
    }

    private static Optional<Method> superMethod(Class<?> type, Method method) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method found = c.getDeclaredMethod(method.getName(), method.getParameterTypes());
                if (!Modifier.isPrivate(found.getModifiers()) && !Modifier.isFinal(found.getModifiers())) {
                    return Optional.of(found);
                }
            } catch (NoSuchMethodException e) {
                // not declared here: look further up
            }
        }
        return Optional.empty();
    }
}
