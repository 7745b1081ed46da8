package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@link ConsoleStore} parameters: one {@link ScratchStore} per test (shared by its {@code @BeforeEach}),
 * kept in JUnit's store for the test, which closes it after the test's {@code @AfterEach} methods: the services close,
 * last opened first, and the folder is removed.
 */
public final class ConsoleStoreExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsoleStoreExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ConsoleServices.class || type == DataDirectory.class || type == ScratchStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Opened test = context.getStore(NAMESPACE).getOrComputeIfAbsent(Opened.class, key -> new Opened(ScratchStore.create()),
                Opened.class);
        Class<?> type = parameter.getParameter().getType();
        if (type == DataDirectory.class) {
            return test.store.directory();
        }
        if (type == ScratchStore.class) {
            return test.store;
        }
        ConsoleStore.As as = parameter.findAnnotation(ConsoleStore.class).map(ConsoleStore::value)
                .or(() -> onClass(context)).orElse(ConsoleStore.As.CONSOLE);
        try {
            return test.services(as);
        } catch (StoreException e) {
            throw new ParameterResolutionException("Cannot open the test's store at " + test.store.directory().path()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Optional<ConsoleStore.As> onClass(ExtensionContext context) {
        for (Optional<Class<?>> type = context.getTestClass(); type.isPresent();
                type = type.map(Class::getEnclosingClass)) {
            Optional<ConsoleStore> annotation = AnnotationSupport.findAnnotation(type.get(), ConsoleStore.class);
            if (annotation.isPresent()) {
                return annotation.map(ConsoleStore::value);
            }
        }
        return Optional.empty();
    }

    /** A test's store and the services opened on it, one of each kind; closed by JUnit when the test ends. */
    private static final class Opened implements AutoCloseable {

        final ScratchStore store;
        final Map<ConsoleStore.As, ConsoleServices> services = new EnumMap<>(ConsoleStore.As.class);

        Opened(ScratchStore store) {
            this.store = store;
        }

        synchronized ConsoleServices services(ConsoleStore.As as) throws StoreException {
            ConsoleServices open = services.get(as);
            if (open == null) {
                open = store.open(as == ConsoleStore.As.SCRIPT ? ConsoleServices.Options.storeOnly()
                        : ConsoleServices.Options.console());
                services.put(as, open);
            }
            return open;
        }

        @Override
        public void close() throws Exception {
            store.close();
        }
    }
}
