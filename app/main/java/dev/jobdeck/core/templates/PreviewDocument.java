package dev.jobdeck.core.templates;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML body made safe to show in the preview, as a careful mail client shows it: nothing is fetched
 * from the network and no script runs. A Content-Security-Policy is the document's first element (after
 * a leading doctype), so it governs everything after it: an HTML parser puts a {@code <meta>} before
 * {@code <html>} into the head it opens, and a document cannot widen the policy (a second one only narrows
 * it). {@code <meta http-equiv=refresh>},
 * which no policy stops, and {@code <base>} are removed. The viewer also turns JavaScript off and ignores
 * clicks, so links do not navigate.
 */
public final class PreviewDocument {

    /** Only inline styles and images carried in the message itself ({@code data:}, {@code cid:}). */
    public static final String POLICY = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'";

    private static final String META = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + POLICY + "\">";
    private static final Pattern DOCTYPE = Pattern.compile("^\\s*<!doctype[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern REFRESH_OR_BASE = Pattern.compile(
            "<meta\\b[^>]*http-equiv\\s*=\\s*[\"']?\\s*refresh[^>]*>|<base\\b[^>]*>", Pattern.CASE_INSENSITIVE);

    private PreviewDocument() {
    }

    public static String of(String html) {
        String body = REFRESH_OR_BASE.matcher(html == null ? "" : html).replaceAll("");
        Matcher doctype = DOCTYPE.matcher(body);
        if (doctype.find()) {
            return insert(body, doctype.end(), META);
        }
        return "<!DOCTYPE html>" + META + body;
    }

    private static String insert(String text, int at, String what) {
        return text.substring(0, at) + what + text.substring(at);
    }
}
