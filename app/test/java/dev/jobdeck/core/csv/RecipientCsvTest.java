package dev.jobdeck.core.csv;

import dev.jobdeck.core.csv.CsvFileException.Kind;
import dev.jobdeck.core.csv.CsvImport.RowProblem;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.testsupport.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RecipientCsvTest {

    @TempDir
    Path temp;

    private final RecipientCsv csv = new RecipientCsv();

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("plain rows", "email,name\nann@example.org,Ann\nbob@example.org,Bob\n",
                        List.of("ann@example.org", "bob@example.org"), List.of()),
                Arguments.of("no line break after the last row", "email,name\nann@example.org,Ann\nbob@example.org,Bob",
                        List.of("ann@example.org", "bob@example.org"), List.of()),
                Arguments.of("an address beyond RFC 5321's limits", "email,name\nann@example.org,Ann\n" + "b".repeat(70)
                                + "@example.org,Bob\n", List.of("ann@example.org"),
                        List.of("line 3: \"" + "b".repeat(59) + "…" + "bbbbbbbb@example.org\": the part before @ is 70 characters"
                                + " long; at most 64 are allowed (RFC 5321)")),
                Arguments.of("CRLF line breaks", "email,name\r\nann@example.org,Ann\r\nbob@,Bob\r\n",
                        List.of("ann@example.org"), List.of("line 3: \"bob@\": missing domain")),
                Arguments.of("quoted value with a comma", "email,name\nann@example.org,\"Smith, Ann\"\n",
                        List.of("ann@example.org"), List.of()),
                Arguments.of("quoted value with a line break moves the next row's line",
                        "email,note\nann@example.org,\"two\nlines\"\nbob,Bob\n",
                        List.of("ann@example.org"), List.of("line 4: \"bob\": missing @ and domain")),
                Arguments.of("doubled quotes inside quotes", "email,note\nann@example.org,\"said \"\"hi\"\"\"\n",
                        List.of("ann@example.org"), List.of()),
                Arguments.of("UTF-8 byte-order mark before the header", "\uFEFFemail,name\nann@example.org,Ann\n",
                        List.of("ann@example.org"), List.of()),
                Arguments.of("blank lines are skipped but still counted", "email,name\n\nann@example.org,Ann\n\n , \nbob@,Bob\n",
                        List.of("ann@example.org"), List.of("line 6: \"bob@\": missing domain")),
                Arguments.of("semicolon separated", "Name;E-Mail\nAnn;ann@example.org\nBob;bob@example.org\n",
                        List.of("ann@example.org", "bob@example.org"), List.of()),
                Arguments.of("tab separated", "mail\tname\nann@example.org\tAnn\n",
                        List.of("ann@example.org"), List.of()),
                Arguments.of("missing field value", "email,name,city\nann@example.org,,\nbob@example.org,Bob,Oslo\n",
                        List.of("bob@example.org"), List.of("line 2: no value for name, city")),
                Arguments.of("missing address", "email,name\n,Ann\n",
                        List.of(), List.of("line 2: no e-mail address")),
                Arguments.of("wrong column count", "email,name\nann@example.org\nbob@example.org,Bob,extra\ncy@example.org,Cy\n",
                        List.of("cy@example.org"), List.of("line 2: 1 value; the header has 2 columns",
                                "line 3: 3 values; the header has 2 columns")),
                Arguments.of("bad address and missing value on one row", "email,name\nann@,\n",
                        List.of(), List.of("line 2: \"ann@\": missing domain; no value for name")),
                Arguments.of("duplicates ignore case, first row wins",
                        "email\nann@example.org\nANN@Example.ORG\nbob@example.org\nann@example.org\n",
                        List.of("ann@example.org", "bob@example.org"),
                        List.of("line 3: ANN@Example.ORG is already on line 2 (skipped)",
                                "line 5: ann@example.org is already on line 2 (skipped)")),
                Arguments.of("an invalid row does not make a later one a duplicate", "email,name\nann@example.org,\nann@example.org,Ann\n",
                        List.of("ann@example.org"), List.of("line 2: no value for name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readsValidRowsAndReportsEveryOtherRowWithItsLine(String description, String content, List<String> valid,
                                                          List<String> problems) throws Exception {
        CsvImport result = csv.read(write(content), Optional.empty(), RecipientCsv.Progress.none(), () -> false);

        assertThat(result.valid()).extracting(Recipient::address).containsExactlyElementsOf(valid);
        assertThat(result.problems()).extracting(RowProblem::describe).containsExactlyElementsOf(problems);
    }

    @Test
    void headerGivesTheMergeFieldsWithEmailFirstAndValuesAsWritten() throws Exception {
        CsvImport result = csv.read(write("Name,E-mail,City\n\"Smith, Ann\", Ann@Example.org ,\"Oslo\nNorway\"\n"),
                Optional.empty(), RecipientCsv.Progress.none(), () -> false);

        assertThat(result.columns()).containsExactly("Name", "E-mail", "City");
        assertThat(result.emailColumn()).isEqualTo("E-mail");
        assertThat(result.valid()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("Ann@Example.org");
            assertThat(r.fields()).containsExactly(
                    org.assertj.core.api.Assertions.entry("email", "Ann@Example.org"),
                    org.assertj.core.api.Assertions.entry("Name", "Smith, Ann"),
                    org.assertj.core.api.Assertions.entry("E-mail", "Ann@Example.org"),
                    org.assertj.core.api.Assertions.entry("City", "Oslo\nNorway"));
        });
    }

    @Test
    void duplicatesAreKeptApartSoTheOperatorCanChooseToSendThem() throws Exception {
        CsvImport result = csv.read(write("email,name\nann@example.org,Ann\nann@example.org,Ann again\n"),
                Optional.empty(), RecipientCsv.Progress.none(), () -> false);

        assertThat(result.duplicates()).singleElement().satisfies(d -> assertThat(d.fields()).containsEntry("name", "Ann again"));
        assertThat(result.invalidCount()).isZero();
    }

    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                Arguments.of("no e-mail column", "name,address\nAnn,ann@example.org\n".getBytes(StandardCharsets.UTF_8),
                        Kind.NO_EMAIL_COLUMN, "has no e-mail column (one named email, e-mail or mail). Columns found: name, address."),
                Arguments.of("two e-mail columns", "Email,name,mail\nann@example.org,Ann,a@example.org\n".getBytes(StandardCharsets.UTF_8),
                        Kind.AMBIGUOUS_EMAIL_COLUMN, "could hold the addresses: Email, mail. Pick the one to use."),
                Arguments.of("empty file", new byte[0], Kind.EMPTY, "is empty: the first row must name the columns"),
                Arguments.of("only blank lines", "\n\n".getBytes(StandardCharsets.UTF_8), Kind.EMPTY, "is empty"),
                Arguments.of("a column named twice", "email,name,Name\n".getBytes(StandardCharsets.UTF_8), Kind.BAD_HEADER,
                        "names the column \"Name\" twice (columns 2 and 3)"),
                Arguments.of("Latin-1 on line 3", latin1("email,name\nann@example.org,Ann\nbob@example.org,Bjørn\n"),
                        Kind.NOT_UTF8, "The file is not UTF-8 at line 3."),
                Arguments.of("Latin-1 in the header after a BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        latin1("email,prénom\n")), Kind.NOT_UTF8, "The file is not UTF-8 at line 1."),
                Arguments.of("a cut-off UTF-8 sequence at the very end", concat("email\nann@example.org\n".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC3}), Kind.NOT_UTF8, "not UTF-8 at line 3"),
                Arguments.of("a quote that is never closed", "email,name\nann@example.org,\"Ann\nbob@example.org,Bob\n"
                        .getBytes(StandardCharsets.UTF_8), Kind.MALFORMED, "as CSV after line 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void refusesAFileThatCannotBeImportedWithAClearReason(String description, byte[] content, Kind kind, String message)
            throws Exception {
        Path file = temp.resolve("list.csv");
        Files.write(file, content);

        CsvFileException refused = catchThrowableOfType(CsvFileException.class,
                () -> csv.read(file, Optional.empty(), RecipientCsv.Progress.none(), () -> false));

        assertThat(refused.kind()).isEqualTo(kind);
        assertThat(refused.getMessage()).contains(message);
    }

    @Test
    void notUtf8FarIntoTheFileNamesTheLineEvenPastTheDecodersChunks() throws Exception {
        StringBuilder text = new StringBuilder("email,name\n");
        for (int i = 1; i <= 5_000; i++) {
            text.append("user").append(i).append("@example.org,Ünïcödé ").append(i).append('\n');
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        Path file = temp.resolve("late.csv");
        Files.write(file, concat(good, latin1("late@example.org,Søren\n")));

        CsvFileException refused = catchThrowableOfType(CsvFileException.class,
                () -> csv.read(file, Optional.empty(), RecipientCsv.Progress.none(), () -> false));

        assertThat(refused.getMessage()).startsWith("The file is not UTF-8 at line 5002.");
    }

    @Test
    void theOperatorCanPickTheEmailColumnWhenNoneIsNamedSo() throws Exception {
        Path file = write("name,address\nAnn,ann@example.org\n");
        CsvFileException refused = catchThrowableOfType(CsvFileException.class,
                () -> csv.read(file, Optional.empty(), RecipientCsv.Progress.none(), () -> false));
        assertThat(refused.needsColumnChoice()).isTrue();
        assertThat(refused.columns()).containsExactly("name", "address");

        CsvImport result = csv.read(file, Optional.of("address"), RecipientCsv.Progress.none(), () -> false);

        assertThat(result.valid()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("ann@example.org");
            assertThat(r.fields()).containsEntry("email", "ann@example.org").containsEntry("address", "ann@example.org");
        });
    }

    @Slow
    @Test
    void hundredThousandRowsAreReadWithProgressAlongTheWay() throws Exception {
        Path file = rows(RecipientCsv.MAX_ROWS);
        List<long[]> updates = new ArrayList<>();

        CsvImport result = csv.read(file, Optional.empty(),
                (rows, bytes, total) -> updates.add(new long[] {rows, bytes, total}), () -> false);

        assertThat(result.valid()).hasSize(100_000);
        assertThat(result.valid().get(99_999).fields()).containsEntry("name", "User 100000");
        assertThat(updates).hasSizeGreaterThanOrEqualTo(100_000 / RecipientCsv.PROGRESS_EVERY_ROWS);
        long[] first = updates.get(0);
        long[] last = updates.get(updates.size() - 1);
        assertThat(first[0]).isEqualTo(RecipientCsv.PROGRESS_EVERY_ROWS);
        assertThat(first[1]).as("bytes read when the first rows were done").isLessThan(first[2] / 10);
        assertThat(last[0]).isEqualTo(100_000);
        assertThat(last[1]).isEqualTo(Files.size(file));
    }

    @Slow
    @Test
    void oneRowMoreThanTheLimitRefusesTheFile() throws Exception {
        Path file = rows(RecipientCsv.MAX_ROWS + 1);

        assertThatThrownBy(() -> csv.read(file, Optional.empty(), RecipientCsv.Progress.none(), () -> false))
                .isInstanceOfSatisfying(CsvFileException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_ROWS);
                    assertThat(e.getMessage()).contains("more than 100,000 recipient rows");
                });
    }

    @Test
    void aCancelledReadStops() throws Exception {
        Path file = rows(10_000);

        assertThatThrownBy(() -> csv.read(file, Optional.empty(), RecipientCsv.Progress.none(), () -> true))
                .isInstanceOf(CancellationException.class);
    }

    private Path rows(int count) throws IOException {
        Path file = temp.resolve("rows-" + count + ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,name\n");
            for (int i = 1; i <= count; i++) {
                out.write("user" + i + "@example.org,User " + i + "\n");
            }
        }
        return file;
    }

    private Path write(String content) throws IOException {
        Path file = temp.resolve("list.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
