package dev.jobdeck.core.csv;

import dev.jobdeck.core.csv.CsvFileException.Kind;
import dev.jobdeck.core.csv.CsvImport.RowProblem;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.SendRequestValidator;
import dev.jobdeck.core.mail.AddressList;
import dev.jobdeck.core.mail.EmailAddresses;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Reads recipients from a CSV file, streamed: the header row names the merge fields, one column holds the
 * addresses, every other row is one recipient. Rows that cannot be used are reported with their line and
 * skipped; problems with the file as a whole (not UTF-8, no e-mail column, too many rows) refuse it whole.
 *
 * <p>Comma, semicolon and tab separated files are accepted (the separator is the one the header uses most),
 * with RFC 4180 quoting: quoted values may hold separators, quotes ("") and line breaks.
 */
public final class RecipientCsv {

    /** Column names taken as the e-mail column without asking, compared ignoring case. */
    public static final Set<String> EMAIL_COLUMN_NAMES = Set.of("email", "e-mail", "mail");
    public static final int MAX_ROWS = SendRequestValidator.MAX_RECIPIENTS;
    static final int PROGRESS_EVERY_ROWS = 500;
    private static final int SNIFF_LIMIT = 64 * 1024;

    /** Told how far the reading is, every few hundred rows, on the reading thread. */
    @FunctionalInterface
    public interface Progress {

        void update(long rows, long bytesRead, long totalBytes);

        static Progress none() {
            return (rows, bytesRead, totalBytes) -> { };
        }
    }

    /**
     * Reads {@code file}.
     *
     * @param emailColumn the column holding the addresses, or empty to find it by its name
     * @param cancelled   checked every few hundred rows; when true the read stops with {@link CancellationException}
     */
    public CsvImport read(Path file, Optional<String> emailColumn, Progress progress, BooleanSupplier cancelled)
            throws CsvFileException {
        String fileName = file.getFileName().toString();
        long totalBytes;
        try {
            totalBytes = Files.size(file);
        } catch (IOException e) {
            throw new CsvFileException(Kind.UNREADABLE, "Cannot read " + fileName + ": " + describe(e), List.of());
        }
        try (StrictUtf8Reader decoded = new StrictUtf8Reader(Files.newInputStream(file));
             BufferedReader buffered = new BufferedReader(decoded, SNIFF_LIMIT)) {
            char delimiter = sniffDelimiter(buffered);
            CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false).build();
            try (CSVParser parser = CSVParser.builder().setReader(buffered).setFormat(format).get()) {
                return new Reading(fileName, parser, decoded, totalBytes, progress, cancelled).run(emailColumn);
            }
        } catch (StrictUtf8Reader.NotUtf8Exception e) {
            throw notUtf8(e);
        } catch (IOException e) {
            throw new CsvFileException(Kind.UNREADABLE, "Cannot read " + fileName + ": " + describe(e), List.of());
        }
    }

    /** The separator the first line uses most, outside quotes: comma unless semicolons or tabs outnumber it. */
    static char sniffDelimiter(BufferedReader reader) throws IOException {
        reader.mark(SNIFF_LIMIT);
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < SNIFF_LIMIT - 1; i++) {
            int c = reader.read();
            if (c < 0 || (!quoted && (c == '\n' || c == '\r'))) {
                break;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        reader.reset();
        if (semicolons > commas && semicolons >= tabs) {
            return ';';
        }
        return tabs > commas ? '\t' : ',';
    }

    /** One pass over one file. */
    private static final class Reading {

        private final String fileName;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final StrictUtf8Reader decoded;
        private final long totalBytes;
        private final Progress progress;
        private final BooleanSupplier cancelled;
        private long endOfPrevious;
        private long line;

        Reading(String fileName, CSVParser parser, StrictUtf8Reader decoded, long totalBytes, Progress progress,
                BooleanSupplier cancelled) {
            this.fileName = fileName;
            this.parser = parser;
            this.records = parser.iterator();
            this.decoded = decoded;
            this.totalBytes = totalBytes;
            this.progress = progress;
            this.cancelled = cancelled;
        }

        CsvImport run(Optional<String> chosenColumn) throws CsvFileException {
            long blankLines = 0;
            CSVRecord headerRecord = next();
            while (headerRecord != null && isBlank(headerRecord)) {
                blankLines++;
                headerRecord = next();
            }
            if (headerRecord == null) {
                throw new CsvFileException(Kind.EMPTY, fileName + " is empty: the first row must name the columns,"
                        + " one of them the e-mail address.", List.of());
            }
            List<String> columns = headerRecord.stream().map(String::strip).toList();
            checkHeader(columns);
            int emailIndex = columns.indexOf(emailColumn(columns, chosenColumn));

            List<Recipient> valid = new ArrayList<>();
            List<Recipient> duplicates = new ArrayList<>();
            List<RowProblem> problems = new ArrayList<>();
            Map<String, Long> firstLineOf = new HashMap<>();
            long rows = 0;
            for (CSVRecord row = next(); row != null; row = next()) {
                if (isBlank(row)) {
                    blankLines++;
                    continue;
                }
                if (++rows > MAX_ROWS) {
                    throw new CsvFileException(Kind.TOO_MANY_ROWS, fileName + " has more than " + String.format(Locale.ROOT,
                            "%,d", MAX_ROWS) + " recipient rows; JobDeck queues at most that many at once. Split the file.",
                            columns);
                }
                if (rows % PROGRESS_EVERY_ROWS == 0) {
                    progress.update(rows, decoded.bytesRead(), totalBytes);
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("Import of " + fileName + " cancelled");
                    }
                }
                if (row.size() != columns.size()) {
                    problems.add(new RowProblem(line, RowProblem.Kind.INVALID, valueCount(row.size()) + "; the header has "
                            + columns.size() + " columns"));
                    continue;
                }
                List<String> issues = new ArrayList<>(2);
                String rawAddress = row.get(emailIndex).strip();
                String address = null;
                if (rawAddress.isEmpty()) {
                    issues.add("no e-mail address");
                } else {
                    AddressList parsed = EmailAddresses.parseSingle(rawAddress);
                    if (parsed.single().isPresent()) {
                        address = parsed.single().get();
                    } else {
                        issues.add(parsed.problemSummary());
                    }
                }
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    if (i != emailIndex && !columns.get(i).isEmpty() && row.get(i).isBlank()) {
                        missing.add(columns.get(i));
                    }
                }
                if (!missing.isEmpty()) {
                    issues.add("no value for " + String.join(", ", missing));
                }
                if (!issues.isEmpty()) {
                    problems.add(new RowProblem(line, RowProblem.Kind.INVALID, String.join("; ", issues)));
                    continue;
                }
                Recipient recipient = new Recipient(address, fields(columns, row, address));
                Long first = firstLineOf.putIfAbsent(address.toLowerCase(Locale.ROOT), line);
                if (first == null) {
                    valid.add(recipient);
                } else {
                    duplicates.add(recipient);
                    problems.add(new RowProblem(line, RowProblem.Kind.DUPLICATE,
                            address + " is already on line " + first + " (skipped)"));
                }
            }
            progress.update(rows, decoded.bytesRead(), totalBytes);
            return new CsvImport(fileName, columns, columns.get(emailIndex), valid, duplicates, problems, blankLines);
        }

        /**
         * The next record, and its first line in {@link #line}. The parser counts line breaks, quoted ones
         * included, so a record starts on the line after the one the previous record ended on; blank lines come
         * back as records of their own, so none is skipped unseen.
         */
        private CSVRecord next() throws CsvFileException {
            try {
                if (!records.hasNext()) {
                    return null;
                }
                long end = parser.getCurrentLineNumber();
                CSVRecord record = records.next();
                line = endOfPrevious + 1;
                endOfPrevious = end;
                return record;
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof StrictUtf8Reader.NotUtf8Exception notUtf8) {
                    throw notUtf8(notUtf8);
                }
                throw new CsvFileException(Kind.MALFORMED, "Cannot read " + fileName + " as CSV after line " + endOfPrevious
                        + ": " + describe(e.getCause()) + ". Check the quotes on the lines after it.", List.of());
            }
        }

        private void checkHeader(List<String> columns) throws CsvFileException {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                String name = columns.get(i);
                if (name.isEmpty()) {
                    continue;
                }
                Integer earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
                if (earlier != null) {
                    throw new CsvFileException(Kind.BAD_HEADER, "The header of " + fileName + " names the column \""
                            + name + "\" twice (columns " + (earlier + 1) + " and " + (i + 1)
                            + "). Each column is a merge field and needs its own name.", columns);
                }
            }
        }

        private String emailColumn(List<String> columns, Optional<String> chosen) throws CsvFileException {
            String found = "Columns found: " + String.join(", ", columns.stream().filter(c -> !c.isEmpty()).toList()) + ".";
            if (chosen.isPresent()) {
                if (!columns.contains(chosen.get())) {
                    throw new CsvFileException(Kind.NO_EMAIL_COLUMN, fileName + " has no column \"" + chosen.get() + "\". "
                            + found, columns);
                }
                return chosen.get();
            }
            List<String> candidates = columns.stream()
                    .filter(c -> EMAIL_COLUMN_NAMES.contains(c.toLowerCase(Locale.ROOT))).toList();
            if (candidates.isEmpty()) {
                throw new CsvFileException(Kind.NO_EMAIL_COLUMN, fileName + " has no e-mail column (one named email,"
                        + " e-mail or mail). " + found + " Pick the column that holds the addresses.", columns);
            }
            if (candidates.size() > 1) {
                throw new CsvFileException(Kind.AMBIGUOUS_EMAIL_COLUMN, "Several columns of " + fileName
                        + " could hold the addresses: " + String.join(", ", candidates) + ". Pick the one to use.", columns);
            }
            return candidates.get(0);
        }
    }

    /** The merge fields of one row: {@code email} (the normalized address) first, then every named column. */
    private static Map<String, String> fields(List<String> columns, CSVRecord row, String address) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(SendRequestValidator.EMAIL_FIELD, address);
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i);
            if (!name.isEmpty() && !name.equals(SendRequestValidator.EMAIL_FIELD)) {
                fields.put(name, row.get(i).strip());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /** An empty line, or one with only separators and spaces. */
    private static boolean isBlank(CSVRecord record) {
        for (String value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String valueCount(int n) {
        return n == 1 ? "1 value" : n + " values";
    }

    private static CsvFileException notUtf8(StrictUtf8Reader.NotUtf8Exception e) {
        return new CsvFileException(Kind.NOT_UTF8, "The file is not UTF-8 at line " + e.line()
                + ". Save it as \"CSV UTF-8\" (or convert it to UTF-8) and import it again.", List.of());
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
