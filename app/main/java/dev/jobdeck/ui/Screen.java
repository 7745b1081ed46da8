package dev.jobdeck.ui;

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
}
