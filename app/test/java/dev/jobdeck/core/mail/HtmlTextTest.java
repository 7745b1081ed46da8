package dev.jobdeck.core.mail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTextTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "<p>One</p><p>Two</p>                                       | One\\n\\nTwo",
            "Line<br>break<br/>again                                    | Line\\nbreak\\nagain",
            "<ul><li>a</li><li>b</li></ul>                              | - a\\n- b",
            "<a href=\"https://x.test/\">Docs</a>                       | Docs (https://x.test/)",
            "<a href='https://x.test/'>https://x.test/</a>              | https://x.test/",
            "<a href=\"mailto:ann@x.test\">ann@x.test</a>               | ann@x.test",
            "<head><title>T</title><style>p{color:red}</style></head>Hi | Hi",
            "<script>alert(1)</script><!-- hidden -->Shown              | Shown",
            "Tom &amp; Jerry &lt;3 &#8364;&#x41;&nbsp;!                 | Tom & Jerry <3 €A !",
            "<p>  lots   of\\n\\n  space </p>                           | lots of space",
            "<table><tr><td>a</td><td>b</td></tr></table>               | a\tb",
            "''                                                         | ''",
    })
    void htmlBecomesTheTextAReaderWouldSee(String html, String text) {
        assertThat(HtmlText.toPlainText(html.replace("\\n", "\n"))).isEqualTo(text.replace("\\n", "\n"));
    }

    /** What the hand-written regex version got wrong. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "Caf&eacute; &Eacute;t&eacute;                              | Café Été",
            "Wait&hellip; &lsquo;quoted&rsquo; &laquo;x&raquo;          | Wait… ‘quoted’ «x»",
            "&copy 2026 no semicolon                                    | © 2026 no semicolon",
            "<p>1 < 2 and 3 > 2</p>                                     | 1 < 2 and 3 > 2",
            "<p title=\"a>b\">Shown</p>                                  | Shown",
            "<table><tr><td>a<td>b<tr><td>c<td>d</table>                | a\tb\\n\\nc\td",
            "<p>Shown</p><script>track('<b>no</b>')                     | Shown",
            "<p>Shown</p><style>p:after{content:'<br>'}                 | Shown",
    })
    void htmlTheRegexVersionGotWrong(String html, String text) {
        assertThat(HtmlText.toPlainText(html.replace("\\n", "\n"))).isEqualTo(text.replace("\\n", "\n"));
    }
}
