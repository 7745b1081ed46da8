package dev.jobdeck.core.mail;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The plain-text part of an HTML e-mail when the operator wrote none: the text a reader would see, with
 * paragraphs, line breaks, list items and link targets kept. jsoup parses the HTML as a browser would (every
 * named and numeric entity, unclosed tags, a {@code <} in text); this class only lays the text out. Not a full
 * renderer: e-mail HTML is simple, and the operator sees the result in the preview and can write the part by
 * hand instead (decision 49).
 */
public final class HtmlText {

    private static final Set<String> INVISIBLE = Set.of("head", "style", "script", "title", "template");
    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
            "table", "tr", "blockquote", "pre", "hr", "section", "article", "header", "footer");

    private HtmlText() {
    }

    public static String toPlainText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        Layout layout = new Layout();
        NodeTraversor.traverse(layout, Jsoup.parse(html));
        StringBuilder out = new StringBuilder();
        int blankLines = 0;
        for (String line : layout.text.toString().split("\n", -1)) {
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

    /** Text with HTML's white space collapsed; line breaks come only from the elements. */
    private static final class Layout implements NodeVisitor {

        private final StringBuilder text = new StringBuilder();
        private Node hidden;

        @Override
        public void head(Node node, int depth) {
            if (hidden != null) {
                return;
            }
            if (node instanceof TextNode textNode) {
                text.append(textNode.getWholeText().replace('\u00a0', ' ').replaceAll("\\s+", " "));
            } else if (node instanceof Element element) {
                String tag = element.normalName();
                if (INVISIBLE.contains(tag)) {
                    hidden = node;
                } else if (tag.equals("br")) {
                    text.append('\n');
                } else if (tag.equals("li")) {
                    text.append("\n- ");
                } else if (BLOCKS.contains(tag)) {
                    text.append("\n\n");
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (hidden != null) {
                if (node == hidden) {
                    hidden = null;
                }
                return;
            }
            if (node instanceof Element element) {
                String tag = element.normalName();
                if (BLOCKS.contains(tag)) {
                    text.append("\n\n");
                } else if (tag.equals("td") || tag.equals("th")) {
                    text.append('\t');
                } else if (tag.equals("a") && element.hasAttr("href")) {
                    linkTarget(element).ifPresent(target -> text.append(" (").append(target).append(')'));
                }
            }
        }

        /** The target to show after a link's label: none when the label already says it or it points in the page. */
        private static Optional<String> linkTarget(Element link) {
            String label = link.text().replace('\u00a0', ' ').strip();
            String target = link.attr("href").strip();
            boolean same = label.equals(target)
                    || target.toLowerCase(Locale.ROOT).equals("mailto:" + label.toLowerCase(Locale.ROOT));
            return same || target.isEmpty() || target.startsWith("#") ? Optional.empty()
                    : Optional.of(target);
        }
    }
}
