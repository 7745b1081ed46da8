package dev.jobdeck.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.jobdeck.core.ConsoleServices;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "dev.jobdeck", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreNeverImportsJavaFx = noClasses().that().resideInAPackage("dev.jobdeck.core..")
            .should().dependOnClassesThat().resideInAPackage("javafx..");

    @ArchTest
    static final ArchRule coreNeverDependsOnUiOrCli = noClasses().that().resideInAPackage("dev.jobdeck.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.jobdeck.ui..", "dev.jobdeck.cli..");

    /** The store keeps tables (mail values included) and knows nothing of the job engine, hosts or settings. */
    @ArchTest
    static final ArchRule storeDependsOnNoOuterCorePackage = noClasses().that().resideInAPackage("dev.jobdeck.core.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.jobdeck.core.jobs..", "dev.jobdeck.core.hosts..",
                    "dev.jobdeck.core.settings..");

    /** Jobs know nothing of host processes: the supervisor drives the engine, never the other way round. */
    @ArchTest
    static final ArchRule jobsDoNotReachIntoHosts = noClasses().that().resideInAPackage("dev.jobdeck.core.jobs..")
            .should().dependOnClassesThat().resideInAPackage("dev.jobdeck.core.hosts..");

    /**
     * No cycle between any two packages of JobDeck (decision 50): the layers of README's "How it is built", the screens
     * beside each other, {@code ui.fx} under them all, and the wiring of {@code ui} and {@code core} above.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.jobdeck.(**)").should().beFreeOfCycles();

    /** The UI's wiring ({@code JobDeckApp}, {@code ConsoleUi}, {@code ScreenControllers}) is above every screen. */
    @ArchTest
    static final ArchRule screensDoNotReachTheWiring = noClasses().that().resideInAPackage("dev.jobdeck.ui.(*)..")
            .should().dependOnClassesThat().resideInAPackage("dev.jobdeck.ui");

    /**
     * The UI never touches the store: it reads the store's values (records, enums, its exceptions) that the services
     * hand it, and never a class that reaches the database ({@code Database}, {@code Outbox}, the {@code Settings}
     * table...). Only the UI's wiring ({@code ui}'s own package: {@code JobDeckApp}, {@code ConsoleUi}) names the data
     * directory it opens.
     */
    @ArchTest
    static final ArchRule uiNeverTouchesTheStore = noClasses().that().resideInAPackage("dev.jobdeck.ui.(*)..")
            .should().dependOnClassesThat(DescribedPredicate.describe("reach the store (not a value of it)",
                    type -> type.getPackageName().startsWith("dev.jobdeck.core.store") && !type.isRecord()
                            && !type.isEnum() && !type.isAssignableTo(Throwable.class)
                            && !(type.isNestedClass() && (type.isRecord() || type.isEnum()))));

    @ArchTest
    static final ArchRule modelsImportNothingFromTheSceneGraph = noClasses().that().haveSimpleNameEndingWith("Model")
            .should().dependOnClassesThat().resideInAPackage("javafx.scene..");

    /**
     * The classes of {@code core} outside the door to JobRunr ({@code core.jobs.jobrunr}, decision 42) that still use
     * JobRunr, each for a reason recorded there: the engine's home and the handler and filters JobRunr calls, which
     * carry its types ({@code JobEngine}, {@code EmailJob}, {@code DeliveryRetryFilter}, {@code PlannedStart},
     * {@code PermanentJobFailure}, {@code CronSchedule}, the one reader of cron expressions); JobRunr's public API for jobs
     * ({@code StorageProvider}, {@code JobScheduler}, {@code Job}). The read model the UI and the CLI consume speaks
     * {@code JobState} (decision 52), so it is not here. A class that no longer needs JobRunr must leave this list
     * ({@link #theListOfJobRunrUsersOutsideTheDoorIsHonest}).
     */
    static final Set<String> JOBRUNR_USERS_OUTSIDE_THE_DOOR = Set.of(
            // the engine's home, and what JobRunr calls or throws
            "dev.jobdeck.core.jobs.JobEngine", "dev.jobdeck.core.jobs.InFlightJobs", "dev.jobdeck.core.jobs.EmailJob",
            "dev.jobdeck.core.jobs.DeliveryRetryFilter",
            "dev.jobdeck.core.jobs.PlannedStart", "dev.jobdeck.core.jobs.PermanentJobFailure", "dev.jobdeck.core.jobs.CronSchedule",
            // JobRunr's public API: StorageProvider, JobScheduler, Job and its states
            "dev.jobdeck.core.jobs.EmailQueue", "dev.jobdeck.core.jobs.BatchJobs", "dev.jobdeck.core.jobs.JobCommands",
            "dev.jobdeck.core.jobs.BulkActions",
            "dev.jobdeck.core.jobs.FollowUpJobs", "dev.jobdeck.core.jobs.JobQueries",
            "dev.jobdeck.core.jobs.JobDetailQueries",
            "dev.jobdeck.core.jobs.SurvivalReports", "dev.jobdeck.core.jobs.IncidentFates",
            "dev.jobdeck.core.jobs.RetentionPass",
            "dev.jobdeck.core.jobs.StoreMove", "dev.jobdeck.core.hosts.HostSupervisor",
            // JobRunr's public API for its servers (BackgroundJobServerStatus): the Hosts list and the recovery at start
            "dev.jobdeck.core.hosts.HostListing", "dev.jobdeck.core.hosts.StartRecovery");

    private static final DescribedPredicate<JavaClass> LISTED_JOBRUNR_USERS = DescribedPredicate.describe(
            "listed as using JobRunr outside the door", type -> JOBRUNR_USERS_OUTSIDE_THE_DOOR.contains(
                    type.isNestedClass() ? type.getEnclosingClass().orElseThrow().getName() : type.getName()));

    /** JobRunr behind one door: its tables and internals in {@code core.jobs.jobrunr}, its API in the listed few. */
    @ArchTest
    static final ArchRule onlyTheDoorAndTheListedUseJobRunr = noClasses().that().resideInAPackage("dev.jobdeck.core..")
            .and().resideOutsideOfPackage("dev.jobdeck.core.jobs.jobrunr..")
            .and(DescribedPredicate.not(LISTED_JOBRUNR_USERS))
            .should().dependOnClassesThat().resideInAPackage("org.jobrunr..");

    /**
     * The UI and the CLI never see JobRunr (decision 52): they read JobDeck's read model, which speaks
     * {@code JobState}; JobRunr's types stay in {@code core.jobs}.
     */
    @ArchTest
    static final ArchRule uiAndCliNeverUseJobRunr = noClasses().that()
            .resideInAnyPackage("dev.jobdeck.ui..", "dev.jobdeck.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.jobrunr..");

    @ArchTest
    static final ArchRule theListOfJobRunrUsersOutsideTheDoorIsHonest = classes().that(DescribedPredicate.describe(
            "listed as using JobRunr outside the door", type -> JOBRUNR_USERS_OUTSIDE_THE_DOOR.contains(type.getName())))
            .should().dependOnClassesThat().resideInAPackage("org.jobrunr..");

    /**
     * The packages of {@code core} form layers with no cycle (decision 43): settings are values, jobs use them. The
     * root package holds the composition root, which may depend on all of them.
     */
    @ArchTest
    static final ArchRule coreSlicesAreFreeOfCycles = slices().matching("dev.jobdeck.core.(*)..").should().beFreeOfCycles();

    /** Settings are values and their load/save; the job engine reads them, never the other way round (decision 43). */
    @ArchTest
    static final ArchRule settingsDoNotDependOnJobs = noClasses().that().resideInAPackage("dev.jobdeck.core.settings..")
            .should().dependOnClassesThat().resideInAPackage("dev.jobdeck.core.jobs..");

    /** What the CLI may call on the composition root: open it, hand a worker's host over, and {@code serve}'s few calls. */
    static final Set<String> CLI_MAY_CALL = Set.of("open", "openWorker", "close", "startHost", "hostName", "sink",
            "storeHealth", "onStoreHealthChange", "onHostStoppedByCommand");

    /** Scripts go through {@code ScriptServices}, a worker through {@code WorkerHost} (decision 43). */
    @ArchTest
    static final ArchRule cliUsesTheFacades = noClasses().that().resideInAPackage("dev.jobdeck.cli..")
            .should().accessTargetWhere(useOfConsoleServicesOtherThan(CLI_MAY_CALL));

    /** What the UI may call on the composition root: open and close it, start its host, and take the screens' facade. */
    static final Set<String> UI_MAY_CALL = Set.of("open", "close", "startHost", "directory", "forScreens");

    /** Screens and the shell get their services through {@code ScreenServices} (decision 43). */
    @ArchTest
    static final ArchRule uiUsesTheScreensFacade = noClasses().that().resideInAPackage("dev.jobdeck.ui..")
            .should().accessTargetWhere(useOfConsoleServicesOtherThan(UI_MAY_CALL));

    /** A call of, or a reference to, a member of {@code ConsoleServices} not named in {@code allowed}. */
    private static DescribedPredicate<JavaAccess<?>> useOfConsoleServicesOtherThan(Set<String> allowed) {
        return new DescribedPredicate<>("a member of ConsoleServices other than " + allowed) {
            @Override
            public boolean test(JavaAccess<?> access) {
                return access.getTargetOwner().isEquivalentTo(ConsoleServices.class) && !allowed.contains(access.getName());
            }
        };
    }
}
