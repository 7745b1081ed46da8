package dev.jobdeck.core.csv;

import dev.jobdeck.core.jobs.Recipient;

import java.util.List;

/**
 * What an imported CSV file holds: the rows that can be queued, the rows that repeat an address already
 * imported, and every row that cannot be used, with its line.
 *
 * @param columns     the header's columns, in order: the merge fields
 * @param emailColumn the column the addresses were read from
 * @param valid       one recipient per usable row, first occurrence of each address, in file order
 * @param duplicates  rows whose address (ignoring case) an earlier valid row has; not queued unless asked
 * @param problems    invalid rows and duplicates, in file order
 * @param blankLines  blank lines skipped
 */
public record CsvImport(String fileName, List<String> columns, String emailColumn, List<Recipient> valid,
                        List<Recipient> duplicates, List<RowProblem> problems, long blankLines) {

    public CsvImport {
        columns = List.copyOf(columns);
        valid = List.copyOf(valid);
        duplicates = List.copyOf(duplicates);
        problems = List.copyOf(problems);
    }

    public int invalidCount() {
        return (int) problems.stream().filter(p -> p.kind() == RowProblem.Kind.INVALID).count();
    }

    /** One row that is not queued by default, and why. */
    public record RowProblem(long line, Kind kind, String message) {

        public enum Kind { INVALID, DUPLICATE }

        /** As listed to the operator: "line 7: ...". */
        public String describe() {
            return "line " + line + ": " + message;
        }
    }
}
