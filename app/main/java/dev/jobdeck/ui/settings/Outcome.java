package dev.jobdeck.ui.settings;

/** How a section's last command ended, which colours its banner; {@code NONE} hides the banner. */
public enum Outcome { NONE, SUCCESS, DANGER }
