package dev.jobdeck.ui.compose;

/** Controller of the Compose screen (being built). */
public final class ComposeController {
}
