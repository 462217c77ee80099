package net.rrispeaker.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a config template from this package's resources, replacing {@code @NAME@}. */
public final class Template {
    private static final Pattern VAR = Pattern.compile("@([A-Z0-9_]+)@");

    private Template() {
    }

    /** Renders resource {@code name} with the topology's values plus {@code extra}. */
    public static String render(String name, Map<String, String> extra) {
        String text;
        try (InputStream in = Template.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("template: " + name + " (expected: a resource in net/rrispeaker/lab)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> vars = new HashMap<>(Topology.vars());
        vars.putAll(extra);
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("template " + name + ": @" + m.group(1) + "@ (expected: a known variable)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Renders and writes to {@code target}. */
    public static Path write(String name, Map<String, String> extra, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, render(name, extra));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
