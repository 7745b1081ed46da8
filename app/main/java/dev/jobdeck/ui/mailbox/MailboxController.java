package dev.jobdeck.ui.mailbox;

/** Controller of the Mailbox screen (being built). */
public final class MailboxController {
}
