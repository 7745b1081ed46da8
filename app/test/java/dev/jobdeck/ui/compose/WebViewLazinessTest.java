package dev.jobdeck.ui.compose;

import dev.jobdeck.testsupport.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebView (WebKit's engine and its 120 MB native library) is created only when an HTML body is previewed,
 * never at console start, which must stay quick. Checked in a fresh JVM, since other tests in this one
 * may have loaded WebView already.
 */
class WebViewLazinessTest {

    @TempDir
    Path temp;

    @ChildProcesses
    @Test
    void webEngineIsLoadedOnlyOnceHtmlIsPreviewed() throws Exception {
        Path log = temp.resolve("probe.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dtestfx.headless=true", "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
                "-Dprism.order=sw", "-Dprism.text=t2k", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), WebViewLazinessProbe.class.getName(),
                Files.createDirectory(temp.resolve("data")).toString());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        boolean exited = probe.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly();
        }

        String output = Files.readString(log);
        assertThat(exited).as(output).isTrue();
        assertThat(output).as(output)
                .contains("start.compose=true")
                .contains("start.webEngine=false")
                .contains("html.webEngine=true");
    }
}
