package dev.linkedaudiences.audience.template;

import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.HelperRegistry;
import com.github.jknack.handlebars.helper.EachHelper;
import com.github.jknack.handlebars.helper.IfHelper;
import com.github.jknack.handlebars.helper.UnlessHelper;
import com.github.jknack.handlebars.helper.WithHelper;

import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The only helpers a template can call: {@code if}, {@code unless}, {@code each} and {@code with}, each checking
 * the render's clock, {@code each} charging its iterations first. handlebars-java's other built-ins are absent
 * ({@code i18n} reads any configuration key, {@code log} writes log lines, {@code embedded}, {@code precompile},
 * {@code partial}, {@code block}, {@code lookup}), and so are decorators, which is how inline partials (and their
 * recursion) are defined. Nothing can be registered later.
 */
final class SubsetHelpers implements HelperRegistry {
    static final Set<String> NAMES = Set.of(IfHelper.NAME, UnlessHelper.NAME, EachHelper.NAME, WithHelper.NAME);

    private final Map<String, Helper<?>> helpers;

    SubsetHelpers(RenderBudget budget) {
        Helper<Object> each = (context, options) -> {
            budget.chargeLoop(size(context), options.fn.text().length());
            return EachHelper.INSTANCE.apply(context, options);
        };
        helpers = Map.of(
                IfHelper.NAME, timed(IfHelper.INSTANCE, budget),
                UnlessHelper.NAME, timed(UnlessHelper.INSTANCE, budget),
                WithHelper.NAME, timed(WithHelper.INSTANCE, budget),
                EachHelper.NAME, each);
    }

    private static Helper<Object> timed(Helper<Object> helper, RenderBudget budget) {
        return (context, options) -> {
            budget.checkTime();
            return helper.apply(context, options);
        };
    }

    /** What {@code each} iterates: a list's elements or an object's properties (payloads hold nothing else). */
    private static int size(Object context) {
        if (context instanceof Collection<?> list) {
            return list.size();
        }
        return context instanceof Map<?, ?> object ? object.size() : 0;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <C> Helper<C> helper(String name) {
        return (Helper<C>) helpers.get(name);
    }

    @Override
    public Set<Map.Entry<String, Helper<?>>> helpers() {
        return helpers.entrySet();
    }

    @Override
    public Decorator decorator(String name) {
        return null;
    }

    @Override
    public HelperRegistry setCharset(Charset charset) {
        return this;
    }

    @Override
    public <H> HelperRegistry registerHelper(String name, Helper<H> helper) {
        throw fixed();
    }

    @Override
    public <H> HelperRegistry registerHelperMissing(Helper<H> helper) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(Object helperSource) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(Class<?> helperSource) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(URI location) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(File input) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, Reader source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, InputStream source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, String source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerDecorator(String name, Decorator decorator) {
        throw fixed();
    }

    private static UnsupportedOperationException fixed() {
        return new UnsupportedOperationException("the template helpers are fixed");
    }
}
