package dev.jobdeck.core.store;

/**
 * Turns H2's spin after a failed write into an error. When a write to the file fails, H2 2.4.240 closes the
 * MVStore, and a session that then starts a statement loops forever in {@code MVStore.registerVersionUsage}: the
 * version counter it waits on is never replaced once the store is closed (issue 15: a thread spinning a core, a
 * {@code send} hanging for minutes). The loop's only exit for that case is its {@code assert}, so assertions are
 * switched on for that one class, before it loads: the session then fails at once and the pool replaces the
 * connection (see {@link StoreFailures}). The class's other assertions are cheap checks of locks and versions,
 * which H2's and JobDeck's test suites run with all the time.
 */
final class H2SpinGuard {

    private static final String MV_STORE = "org.h2.mvstore.MVStore";

    private H2SpinGuard() {
    }

    /** Must run before any H2 class is loaded by {@code loader}; later it has no effect on classes already loaded. */
    static void install(ClassLoader loader) {
        if (loader != null) {
            loader.setClassAssertionStatus(MV_STORE, true);
        }
    }
}
