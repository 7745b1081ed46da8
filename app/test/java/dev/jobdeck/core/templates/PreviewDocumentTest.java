package dev.jobdeck.core.templates;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewDocumentTest {

    private static final String META = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + PreviewDocument.POLICY + "\">";

    @ParameterizedTest
    @ValueSource(strings = {
            "<p>Hi</p>",
            "<html><head><title>t</title></head><body><img src=\"http://x.test/p.png\"></body></html>",
            "<html><link rel=stylesheet href=\"http://x.test/s.css\"><head></head><body>x</body></html>",
            "<img src=\"http://x.test/p.png\"><html><head></head></html>",
    })
    void policyIsTheFirstElementSoItCoversEveryResource(String html) {
        String document = PreviewDocument.of(html);

        assertThat(document).startsWith("<!DOCTYPE html>" + META);
        assertThat(document).endsWith(html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!DOCTYPE html>", "  <!doctype HTML PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">"})
    void policyFollowsTheDocumentsOwnDoctype(String doctype) {
        String document = PreviewDocument.of(doctype + "<html><body>x</body></html>");

        assertThat(document).isEqualTo(doctype + META + "<html><body>x</body></html>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<meta http-equiv=\"refresh\" content=\"0;url=http://x.test/\">",
            "<META HTTP-EQUIV=Refresh CONTENT=\"5; URL=http://x.test/\">",
            "<base href=\"http://x.test/\">",
    })
    void refreshAndBaseThatNoPolicyStopsAreRemoved(String tag) {
        String document = PreviewDocument.of("<head>" + tag + "</head><p>x</p>");

        assertThat(document).doesNotContainIgnoringCase("x.test").endsWith("<head></head><p>x</p>");
    }
}
