package dev.jobdeck.core.mail;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain-text part of an HTML e-mail when the operator wrote none: the text a reader would see, with
 * paragraphs, line breaks, list items and link targets kept. Not a full HTML renderer: e-mail HTML is
 * simple, and the operator sees the result in the preview and can write the part by hand instead.
 */
public final class HtmlText {

    private static final Pattern INVISIBLE = Pattern.compile(
            "<!--.*?-->|<(head|style|script|title)\\b[^>]*>.*?</\\1\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile(
            "<a\\b[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))[^>]*>(.*?)</a\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern LINE_BREAK = Pattern.compile("<br\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_ITEM = Pattern.compile("<li\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOCK_END = Pattern.compile(
            "</?(p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|hr|section|article|header|footer)\\b[^>]*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CELL_END = Pattern.compile("</t[dh]\\s*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", " ", "copy", "©", "euro", "€", "mdash", "—", "ndash", "–");

    private HtmlText() {
    }

    public static String toPlainText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String text = INVISIBLE.matcher(html).replaceAll("");
        // HTML collapses white space; line breaks come only from the tags below.
        text = text.replaceAll("\\s+", " ");
        text = replaceLinks(text);
        text = LINE_BREAK.matcher(text).replaceAll("\n");
        text = LIST_ITEM.matcher(text).replaceAll("\n- ");
        text = BLOCK_END.matcher(text).replaceAll("\n\n");
        text = CELL_END.matcher(text).replaceAll("\t");
        text = TAG.matcher(text).replaceAll("");
        text = decodeEntities(text);
        StringBuilder out = new StringBuilder();
        int blankLines = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                blankLines++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blankLines > 0 ? "\n\n" : "\n");
            }
            out.append(trimmed);
            blankLines = 0;
        }
        return out.toString();
    }

    private static String replaceLinks(String html) {
        Matcher m = LINK.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String href = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String label = m.group(4);
            String shownLabel = decodeEntities(TAG.matcher(label).replaceAll("")).strip();
            String target = decodeEntities(href).strip();
            boolean same = shownLabel.equals(target) || target.toLowerCase(Locale.ROOT).equals("mailto:" + shownLabel.toLowerCase(Locale.ROOT));
            String replacement = same || target.isEmpty() || target.startsWith("#") ? label : label + " (" + target + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String decodeEntities(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#")) {
                boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
                int code = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                replacement = Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : m.group();
            } else {
                replacement = NAMED.getOrDefault(name.toLowerCase(Locale.ROOT), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
