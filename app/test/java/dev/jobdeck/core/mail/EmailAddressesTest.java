package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "a@x.org, b@y.org",
            "a@x.org; b@y.org",
            "a@x.org\nb@y.org",
            "a@x.org\r\nb@y.org",
            " a@x.org ,;\n\n b@y.org ;",
    })
    void listIsSplitOnCommasSemicolonsAndNewlines(String field) {
        AddressList parsed = EmailAddresses.parseList(field);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.addresses()).containsExactly("a@x.org", "b@y.org");
    }

    @Test
    void blankEntriesAreIgnored() {
        assertThat(EmailAddresses.parseList(" , ;\n  \n").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingFieldGivesAnEmptyValidList(String field) {
        AddressList parsed = EmailAddresses.parseList(field);

        assertThat(parsed.isValid()).isTrue();
        assertThat(parsed.addresses()).isEmpty();
    }

    @Test
    void duplicatesAreRemovedIgnoringCaseKeepingFirstOccurrenceAndOrder() {
        AddressList parsed = EmailAddresses.parseList("c@x.org, A@x.org, b@x.org, a@X.ORG, C@x.org");

        assertThat(parsed.addresses()).containsExactly("c@x.org", "A@x.org", "b@x.org");
    }

    @Test
    void displayNamesAndAngleBracketsAreAccepted() {
        AddressList parsed = EmailAddresses.parseList("Bob Smith <bob@x.org>; <ann@y.org>");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.addresses()).containsExactly("Bob Smith <bob@x.org>", "ann@y.org");
    }

    @Test
    void hostWithoutDotIsAccepted() {
        assertThat(EmailAddresses.parseList("ops@localhost").addresses()).containsExactly("ops@localhost");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "foo          | missing @ and domain",
            "bob@         | missing domain",
            "@bar         | missing the part before @",
            "@            | missing domain",
            "a b@c.d      | not a valid e-mail address",
            "x y@z.com    | not a valid e-mail address",
            "bob@x..com   | not a valid e-mail address",
            "bob@x_y.com  | not a valid e-mail address",
            "bob.@x.com   | not a valid e-mail address",
            "bob@x.com>   | not a valid e-mail address",
            "Bob <bob@>   | missing domain",
            "Bob <bob>    | missing @ and domain",
            "<@relay.org:bob@x.org> | not a valid e-mail address",
    })
    void malformedEntryIsReportedWithAHumanMessage(String entry, String message) {
        AddressList parsed = EmailAddresses.parseList(entry);

        assertThat(parsed.addresses()).isEmpty();
        assertThat(parsed.problems()).containsExactly(new AddressProblem(entry, message));
    }

    @Test
    void problemIsDescribedWithTheEntryInQuotes() {
        AddressList parsed = EmailAddresses.parseList("x y@z.com");

        assertThat(parsed.problems().get(0).describe()).isEqualTo("\"x y@z.com\": not a valid e-mail address");
    }

    @Test
    void validAddressesAreKeptAlongsideEveryProblem() {
        AddressList parsed = EmailAddresses.parseList("ok@x.org, bob@, good@y.org\nfoo");

        assertThat(parsed.addresses()).containsExactly("ok@x.org", "good@y.org");
        assertThat(parsed.problems()).extracting(AddressProblem::entry).containsExactly("bob@", "foo");
        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.problemSummary()).isEqualTo("\"bob@\": missing domain; \"foo\": missing @ and domain");
    }

    @Test
    void aThousandAddressesAllParseInOrder() {
        String field = IntStream.range(0, 1_000)
                .mapToObj(i -> "user" + i + "@example" + (i % 7) + ".org")
                .collect(Collectors.joining(",\n"));

        AddressList parsed = EmailAddresses.parseList(field);

        assertThat(parsed.addresses()).hasSize(1_000).startsWith("user0@example0.org").endsWith("user999@example5.org");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "ann@münchen.de                | ann@xn--mnchen-3ya.de",
            "Ann <ann@bücher.example>      | Ann <ann@xn--bcher-kva.example>",
            "ops@xn--mnchen-3ya.de         | ops@xn--mnchen-3ya.de",
            "ann@例え.テスト                 | ann@xn--r8jz45g.xn--zckzah",
            "plain@example.org             | plain@example.org",
    })
    void internationalisedDomainsAreAcceptedAndSentInTheirAsciiForm(String entry, String smtp) {
        AddressList parsed = EmailAddresses.parseList(entry);

        assertThat(parsed.problems()).isEmpty();
        assertThat(EmailAddresses.smtpForm(parsed.addresses().get(0))).isEqualTo(smtp);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jörg@example.org      | the part before @ has characters outside ASCII, which needs SMTPUTF8; JobDeck sends only to ASCII mailbox names",
            "ann@münchen-.de       | the domain is not a valid internationalised domain name",
            "ann@-münchen.de       | the domain is not a valid internationalised domain name",
    })
    void otherNonAsciiAddressesAreRefusedSayingWhy(String entry, String message) {
        assertThat(EmailAddresses.parseList(entry).problems()).containsExactly(new AddressProblem(entry, message));
    }

    @Test
    void singleAcceptsExactlyOneAddress() {
        assertThat(EmailAddresses.parseSingle("  ops@jobdeck.dev ").single()).contains("ops@jobdeck.dev");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a@x.org, b@y.org | exactly one address is allowed",
            "''               | an address is required",
            "bob@             | missing domain",
    })
    void singleRefusesAnythingButOneValidAddress(String field, String message) {
        AddressList parsed = EmailAddresses.parseSingle(field);

        assertThat(parsed.single()).isEmpty();
        assertThat(parsed.problems()).extracting(AddressProblem::message).containsExactly(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@x.org\r\nBcc: victim@y.org", "a@x.org\n", "a@x.org\rb"})
    void singleRefusesLineBreaks(String field) {
        AddressList parsed = EmailAddresses.parseSingle(field);

        assertThat(parsed.single()).isEmpty();
        assertThat(parsed.problems()).extracting(AddressProblem::message).containsExactly("must not contain line breaks");
    }

    @Test
    void singleOfNullIsRequired() {
        assertThat(EmailAddresses.parseSingle(null).problems())
                .extracting(AddressProblem::message).containsExactly("an address is required");
        assertThat(EmailAddresses.parseSingle(null).single()).isEmpty();
    }

    @Test
    void listResultIsImmutable() {
        AddressList parsed = EmailAddresses.parseList("a@x.org");

        assertThat(parsed.addresses()).isUnmodifiable();
        assertThat(List.copyOf(parsed.problems())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "local part of 65   | the part before @ is 65 characters long; at most 64 are allowed (RFC 5321)",
            "local part of 9999 | the part before @ is 9999 characters long; at most 64 are allowed (RFC 5321)",
            "domain of 300      | the domain is 300 characters long; at most 255 are allowed (RFC 5321)",
            "address of 255     | the address is 255 characters long; at most 254 are allowed (RFC 5321)",
            "label of 64        | the domain has a part of 64 characters between dots; at most 63 are allowed",
            "name of 320        | the name with the address is 336 characters long; at most 320 are allowed",
    })
    void addressesBeyondTheRfc5321LimitsAreRefusedWithTheLimit(String which, String message) {
        String address = switch (which.strip()) {
            case "local part of 65" -> "a".repeat(65) + "@example.org";
            case "local part of 9999" -> "a".repeat(9999) + "@example.org";
            case "domain of 300" -> "a@" + ("b".repeat(59) + ".").repeat(4) + "c".repeat(56) + ".org";
            case "address of 255" -> "a".repeat(64) + "@" + ("b".repeat(62) + ".").repeat(3) + "c";
            case "label of 64" -> "a@" + "b".repeat(64) + ".org";
            default -> "N".repeat(320) + " <a@example.org>";
        };

        AddressList parsed = EmailAddresses.parseList(address);

        assertThat(parsed.addresses()).isEmpty();
        assertThat(parsed.problems()).extracting(AddressProblem::message).containsExactly(message);
    }

    @Test
    void addressesAtTheLimitsAreAccepted() {
        String longest = "a".repeat(64) + "@" + ("b".repeat(62) + ".").repeat(2) + "c".repeat(63);

        assertThat(longest).hasSize(254);
        assertThat(EmailAddresses.parseList(longest).addresses()).containsExactly(longest);
    }

    @Test
    void aVeryLongEntryIsShownByItsStartAndEnd() {
        AddressList parsed = EmailAddresses.parseList("a".repeat(10_000) + "@example.org");

        assertThat(parsed.problemSummary()).hasSizeLessThan(200).contains("…").contains("a@example.org\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bo\u0007b <a@example.org>    | U+0007 BEL at position 3",
            "a\u0000b@example.org         | U+0000 NULL at position 2",
            "Ann\u007F <a@example.org>    | U+007F DELETE at position 4",
            "\u0085Ann <a@example.org>    | U+0085 NEXT LINE (NEL) at position 1",
    })
    void controlCharactersInAnEntryAreRefusedNamingWhichAndWhere(String entry, String where) {
        AddressList parsed = EmailAddresses.parseList(entry.strip());

        assertThat(parsed.addresses()).isEmpty();
        assertThat(parsed.problems()).extracting(AddressProblem::message)
                .containsExactly("must not contain control characters: " + where);
    }

    @Test
    void aRefusedEntryIsEchoedWithoutItsControlCharacters() {
        AddressList parsed = EmailAddresses.parseList("Bo\u001b[2Jb <a@example.org>");

        assertThat(parsed.problemSummary()).startsWith("\"Bo\uFFFD[2Jb <a@example.org>\": ").doesNotContain("\u001b");
    }

    @Test
    void aTabInADisplayNameIsAccepted() {
        assertThat(EmailAddresses.parseList("Ann\tSmith <a@example.org>").isValid()).isTrue();
    }
}
