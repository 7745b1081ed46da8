package dev.jobdeck.ui.settings;

/**
 * The Settings screen: a column of sections, each its own view (FXML + controller + model) composed with
 * {@code fx:include} in {@code Settings.fxml} and created by the same controller factory (decision 44): the outgoing
 * server, delivery, retries and bounces, and storage. The sections share no state, so this controller binds nothing.
 */
public final class SettingsController {
}
