package dev.jobdeck.core.store;

import dev.jobdeck.core.store.StoreLocation.Embedded;
import dev.jobdeck.core.store.StoreLocation.Postgres;
import dev.jobdeck.core.store.StoreLocation.TlsMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class StoreLocationTest {

    private static final String SECRET = "s3cret-Pw";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "H2", " embedded ", "Embedded"})
    void theWordH2OrEmbeddedIsTheEmbeddedStore(String text) {
        assertThat(StoreLocation.parse(text)).isEqualTo(new Embedded());
        assertThat(StoreLocation.parse(text).url()).isEqualTo("h2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgresql://db.example.org/jobdeck                     | db.example.org | 5432 | jobdeck | -   | PREFER",
            "postgres://db.example.org/jobdeck                       | db.example.org | 5432 | jobdeck | -   | PREFER",
            "POSTGRESQL://DB.Example.ORG:6543/jobdeck                | db.example.org | 6543 | jobdeck | -   | PREFER",
            "postgresql://ops@10.0.0.7:5433/mail                     | 10.0.0.7       | 5433 | mail    | ops | PREFER",
            "postgresql://[::1]/jobdeck                              | ::1            | 5432 | jobdeck | -   | PREFER",
            "postgresql://ops@[2001:db8::5]:7000/jobdeck             | 2001:db8::5    | 7000 | jobdeck | ops | PREFER",
            "postgresql://h/jobdeck?sslmode=disable                  | h              | 5432 | jobdeck | -   | DISABLE",
            "postgresql://h/jobdeck?sslmode=prefer                   | h              | 5432 | jobdeck | -   | PREFER",
            "postgresql://h/jobdeck?sslmode=require                  | h              | 5432 | jobdeck | -   | REQUIRE",
            "postgresql://h/jobdeck?sslmode=verify-full              | h              | 5432 | jobdeck | -   | VERIFY_FULL",
            "postgresql://h/my%20jobs                                | h              | 5432 | my jobs | -   | PREFER",
            "postgresql://j%40ne@h:1/jobdeck                         | h              | 1    | jobdeck | j@ne | PREFER",
            "'  postgresql://h:65535/jobdeck  '                      | h              | 65535 | jobdeck | -  | PREFER",
    })
    void aPostgreSqlUrlIsReadWithItsDefaults(String text, String host, int port, String database, String user, TlsMode tls) {
        StoreLocation location = StoreLocation.parse(text);

        assertThat(location).isEqualTo(new Postgres(host, port, database,
                user.equals("-") ? Optional.empty() : Optional.of(user), tls));
        assertThat(StoreLocation.parse(location.url())).as("the canonical URL reads back").isEqualTo(location);
    }

    @Test
    void theDisplayedFormIsCanonicalWithItsPortAndWithoutTheTlsMode() {
        assertThat(StoreLocation.parse("postgres://Ops@DB.example.org/jobdeck?sslmode=require").display())
                .isEqualTo("postgresql://Ops@db.example.org:5432/jobdeck");
        assertThat(StoreLocation.parse("postgresql://[::1]:5433/jobdeck").display()).isEqualTo("postgresql://[::1]:5433/jobdeck");
        assertThat(StoreLocation.parse("postgresql://h/jobdeck").toString()).isEqualTo("postgresql://h:5432/jobdeck (TLS: prefer)");
        assertThat(StoreLocation.parse("postgresql://h/jobdeck?sslmode=verify-full").url())
                .isEqualTo("postgresql://h:5432/jobdeck?sslmode=verify-full");
    }

    @Test
    void theJdbcUrlIsOneThePostgreSqlDriverReadsBackWithTlsNameKeepAliveAndTimeout() throws Exception {
        Postgres location = (Postgres) StoreLocation.parse("postgresql://ops@[::1]:5433/my%20jobs?sslmode=require");

        Properties read = org.postgresql.Driver.parseURL(location.jdbcUrl(), new Properties());

        assertThat(read).isNotNull();
        assertThat(read.getProperty("PGHOST")).isEqualTo("[::1]");
        assertThat(read.getProperty("PGPORT")).isEqualTo("5433");
        assertThat(read.getProperty("PGDBNAME")).isEqualTo("my jobs");
        assertThat(read.getProperty("sslmode")).isEqualTo("require");
        assertThat(read.getProperty("ApplicationName")).isEqualTo("JobDeck");
        assertThat(read.getProperty("tcpKeepAlive")).isEqualTo("true");
        assertThat(read.getProperty("connectTimeout")).isEqualTo("10");
        assertThat(read.getProperty("user")).as("the user goes to the pool, not into the URL").isNull();
    }

    @Test
    void theDefaultTlsModeIsPreferWhichTheDriverTakesAsTlsWhenTheServerOffersIt() throws Exception {
        Postgres location = (Postgres) StoreLocation.parse("postgresql://db.example.org/jobdeck");

        assertThat(location.tls()).isEqualTo(TlsMode.PREFER);
        assertThat(org.postgresql.Driver.parseURL(location.jdbcUrl(), new Properties()).getProperty("sslmode"))
                .isEqualTo("prefer");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                         | The store location is empty",
            "'   '                                      | The store location is empty",
            "mysql://db.example.org/jobdeck             | The store URL's scheme 'mysql' is not one JobDeck can use",
            "jdbc:postgresql://h/jobdeck                | neither h2 nor a URL that starts with postgresql://",
            "db.example.org/jobdeck                     | neither h2 nor a URL that starts with postgresql://",
            "localhost:5432/jobdeck                     | neither h2 nor a URL that starts with postgresql://",
            "postgresql:///jobdeck                      | The store URL names no host",
            "postgresql://db.example.org                | The store URL names no database after the host",
            "postgresql://db.example.org/               | The store URL names no database after the host",
            "postgresql://db.example.org:/jobdeck       | The port '' is not a number from 1 to 65535",
            "postgresql://db.example.org:0/jobdeck      | The port '0' is not a number from 1 to 65535",
            "postgresql://db.example.org:65536/jobdeck  | The port '65536' is not a number from 1 to 65535",
            "postgresql://db.example.org:abc/jobdeck    | The port 'abc' is not a number from 1 to 65535",
            "postgresql://db.example.org:-1/jobdeck     | The port '-1' is not a number from 1 to 65535",
            "postgresql://db.example.org:99999999999/jobdeck | The port '99999999999' is not a number from 1 to 65535",
            "postgresql://[::1]:x/jobdeck               | The store URL does not parse (illegal character in port number at character 20)",
            "postgresql://db_host/jobdeck               | The host 'db_host' is not a host name or an IP address",
            "postgresql://[::1/jobdeck                  | The store URL does not parse (expected closing bracket for IPv6 address at character 18)",
            "postgresql://h/a b                         | The store URL does not parse (illegal character in path at character 17)",
            "postgresql://h/jobdeck/extra               | The database name 'jobdeck/extra' has a '/' in it",
            "postgresql://@h/jobdeck                    | The user name before '@' is empty",
            "postgresql://h/jobdeck?ssl=true            | The store URL's parameter 'ssl' is not one JobDeck knows; only sslmode is",
            "postgresql://h/jobdeck?user=ops            | The store URL's parameter 'user' is not one JobDeck knows",
            "postgresql://h/jobdeck?sslmode=allow       | sslmode 'allow' is not one of disable, prefer, require or verify-full",
            "postgresql://h/jobdeck?sslmode=require&sslmode=disable | The store URL gives sslmode twice",
            "postgresql://h/jobdeck#main                | The store URL has a '#' part",
    })
    void aLocationThatDoesNotFitIsRefusedInOneSentenceShowingTheExpectedForm(String text, String expected) {
        Throwable refusal = catchThrowable(() -> StoreLocation.parse(text));

        assertThat(refusal).isInstanceOf(IllegalArgumentException.class);
        assertThat(refusal.getMessage()).contains(expected.strip())
                .endsWith("; expected " + StoreLocation.EXPECTED_FORM + ".")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(refusal.getMessage().chars().filter(c -> c == '.').count())
                .as("one sentence (the dots of host names aside)").isLessThanOrEqualTo(2 + text.chars().filter(c -> c == '.').count());
    }

    @Test
    void aDatabaseNameLongerThanPostgreSqlKeepsIsRefused() {
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://h/" + "d".repeat(64)))
                .hasMessageContaining("The database name is 64 bytes long; PostgreSQL keeps at most 63");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "postgresql://ops:" + SECRET + "@db.example.org/jobdeck",
            "postgres://ops:" + SECRET + "@db.example.org:5432/jobdeck?sslmode=require",
            "postgresql://ops:" + SECRET + "@db_host/jobdeck",
            "postgresql://ops:" + SECRET + "@db.example.org:notaport/jobdeck",
            "mysql://ops:" + SECRET + "@db.example.org/jobdeck",
            "postgresql://:" + SECRET + "@db.example.org/jobdeck",
            "postgresql://db.example.org/jobdeck?password=" + SECRET,
            "postgresql://db.example.org/jobdeck?sslmode=prefer&PASSWORD=" + SECRET,
    })
    void aPasswordInTheUrlIsRefusedPointingToTheKeyringAndStdinAndIsNeverRepeated(String text) {
        Throwable refusal = catchThrowable(() -> StoreLocation.parse(text));

        assertThat(refusal).isInstanceOf(IllegalArgumentException.class).hasNoCause();
        assertThat(refusal.getMessage()).isEqualTo(StoreLocation.PASSWORD_REFUSAL)
                .contains("`jobdeck store password`").contains("--password-stdin").contains("never on the command line")
                .doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "postgresql://ops:" + SECRET + " x@h/jobdeck",
            "post gresql://ops:" + SECRET + "@h/jobdeck",
            "postgresql:ops:" + SECRET + "@h/jobdeck",
    })
    void aUrlThatDoesNotParseIsRefusedWithoutRepeatingIt(String text) {
        Throwable refusal = catchThrowable(() -> StoreLocation.parse(text));

        assertThat(refusal).isInstanceOf(IllegalArgumentException.class);
        assertThat(refusal.getMessage()).doesNotContain(SECRET);
        assertThat(refusal.getCause() == null ? "" : refusal.getCause().getMessage()).doesNotContain(SECRET);
    }

    @Test
    void noFormOfALocationHoldsAPassword() {
        Postgres location = (Postgres) StoreLocation.parse("postgresql://ops@db.example.org/jobdeck?sslmode=verify-full");

        for (String form : new String[] {location.toString(), location.display(), location.url(), location.jdbcUrl()}) {
            assertThat(form).doesNotContain(":" + "@").doesNotContainPattern("://[^/@]*:[^/@]*@").doesNotContainIgnoringCase("password");
        }
        assertThat(location.jdbcUrl()).doesNotContain("ops");
    }

    @Test
    void theSameDatabaseIsTheSameHostPortAndNameWhoeverLogsInAndHow() {
        Postgres remembered = (Postgres) StoreLocation.parse("postgresql://ops@db.example.org/jobdeck");

        assertThat(remembered.sameDatabase((Postgres) StoreLocation.parse("postgres://other@DB.example.org:5432/jobdeck?sslmode=require"))).isTrue();
        assertThat(remembered.sameDatabase((Postgres) StoreLocation.parse("postgresql://db.example.org:5433/jobdeck"))).isFalse();
        assertThat(remembered.sameDatabase((Postgres) StoreLocation.parse("postgresql://db.example.org/jobdeck2"))).isFalse();
        assertThat(remembered.sameDatabase((Postgres) StoreLocation.parse("postgresql://db2.example.org/jobdeck"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'' | The database user name is empty",
            "a\tb | control character", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu | 64 bytes long"})
    void aUserNameThePostgreSqlServerCannotTakeIsRefused(String user, String expected) {
        assertThatThrownBy(() -> Postgres.checkUser(user)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected.strip());
    }
}
