package dev.jobdeck.core.jobs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a list is cut into bulk jobs (decision 17): at least 64 jobs, tapering from 1.5 to 0.5 times their mean. */
class BulkSizesTest {

    @ParameterizedTest(name = "{0} recipients, bulk size {1}: {2} jobs of {3} down to {4}")
    @CsvSource({
            "300,    200, 64,  7,   2",
            "1000,   200, 64,  23,  8",
            "1280,   30,  64,  30,  10",
            "10000,  200, 75,  199, 68",
            "10000,  50,  300, 50,  17",
            "100000, 500, 300, 499, 167",
            "130,    200, 64,  3,   1",
            "2000,   3,   1000, 3,  1",
    })
    void aListIsCutIntoJobsThatGetShorterTowardsItsEndAndNeverExceedTheBulkSize(int recipients, int bulkSize, int jobs,
                                                                                int first, int last) {
        List<Integer> sizes = EmailQueue.bulkSizes(recipients, bulkSize);

        assertThat(sizes).hasSize(jobs).allSatisfy(size -> assertThat(size).isBetween(1, bulkSize));
        assertThat(sizes.get(0)).isEqualTo(first);
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(last);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(recipients);
        double mean = (double) recipients / jobs;
        for (int i = 0; i < sizes.size(); i++) {
            double ideal = mean * (EmailQueue.TAPER - 2 * (EmailQueue.TAPER - 1) * (i + 0.5) / jobs);
            assertThat((double) sizes.get(i)).as("job %d", i).isCloseTo(ideal, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @ParameterizedTest(name = "{0} recipients, bulk size {1}: one job per e-mail")
    @CsvSource({"1, 200", "64, 200", "10000, 1"})
    void aShortListOrABulkSizeOfOneKeepsOneJobPerEmail(int recipients, int bulkSize) {
        assertThat(EmailQueue.bulkSizes(recipients, bulkSize)).isEmpty();
    }
}
