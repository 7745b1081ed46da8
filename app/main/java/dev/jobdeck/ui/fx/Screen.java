package dev.jobdeck.ui.fx;

/** The console's screens, in navigation order. */
public enum Screen {
    COMPOSE("Compose"),
    JOBS("Jobs"),
    HOSTS("Hosts"),
    MAILBOX("Mailbox"),
    SETTINGS("Settings");

    private final String title;

    Screen(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** The screen called {@code name} in any case ({@code --open jobs}); empty for no such screen. */
    public static java.util.Optional<Screen> named(String name) {
        return java.util.Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }
}
