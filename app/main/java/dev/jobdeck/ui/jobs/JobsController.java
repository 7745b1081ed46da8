package dev.jobdeck.ui.jobs;

/** Controller of the Jobs screen (being built). */
public final class JobsController {
}
