package dev.jobdeck.ui.settings;

/** Controller of the Settings screen (being built). */
public final class SettingsController {
}
