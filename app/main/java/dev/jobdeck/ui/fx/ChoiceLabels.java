package dev.jobdeck.ui.fx;

import javafx.util.StringConverter;

import java.util.function.Function;

/** How a choice box names its choices: the operator picks one, never types one. */
public final class ChoiceLabels {

    private ChoiceLabels() {
    }

    public static <T> StringConverter<T> of(Function<T, String> label) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : label.apply(value);
            }

            @Override
            public T fromString(String text) {
                throw new UnsupportedOperationException("choices are picked, not typed");
            }
        };
    }
}
