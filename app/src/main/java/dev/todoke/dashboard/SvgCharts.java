package dev.todoke.dashboard;

import java.util.List;
import java.util.Locale;
import org.springframework.web.util.HtmlUtils;

/**
 * Charts as SVG text, drawn on the server: a column chart of one or two series per day and a bar chart
 * of labelled values. No script, no external resource: the markup is inlined in the page and works under
 * a strict Content-Security-Policy. Every label is escaped. Each chart carries a {@code <title>} and
 * {@code role="img"} with an {@code aria-label} for screen readers; the page shows the numbers in a table
 * too. Stateless.
 */
final class SvgCharts {

    static final String BLUE = "#2f5fb3";
    static final String RED = "#b3261e";
    static final String ORANGE = "#c77700";
    static final String GREEN = "#1e7b34";
    static final String GREY = "#8a939e";

    private static final int WIDTH = 640;
    private static final int HEIGHT = 180;
    private static final int LEFT = 48;
    private static final int BOTTOM = 28;
    private static final int TOP = 12;

    private SvgCharts() {}

    /** One named series of values. */
    record Series(String name, List<Long> values, String color) {}

    /**
     * Columns per day: one column per series side by side.
     *
     * @param title the chart's accessible name
     * @param labels the x-axis labels (days), as many as each series has values
     */
    static String columns(String title, List<String> labels, List<Series> series) {
        long max = Math.max(
                1,
                series.stream()
                        .flatMap(s -> s.values().stream())
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(1));
        int n = Math.max(1, labels.size());
        double slot = (WIDTH - LEFT - 8) / (double) n;
        double bar = Math.max(1, (slot - 4) / series.size());
        int plot = HEIGHT - BOTTOM - TOP;
        StringBuilder svg = open(title, WIDTH, HEIGHT);
        axis(svg, max, plot);
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            for (int i = 0; i < one.values().size(); i++) {
                long value = one.values().get(i);
                double h = value * (double) plot / max;
                double x = LEFT + i * slot + 2 + s * bar;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %d</title></rect>",
                        x,
                        TOP + plot - h,
                        bar,
                        h,
                        one.color(),
                        esc(labels.get(i)),
                        esc(one.name()),
                        value));
            }
        }
        int every = Math.max(1, (int) Math.ceil(n / 8.0));
        for (int i = 0; i < labels.size(); i += every) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6470\">%s</text>",
                    LEFT + i * slot + slot / 2,
                    HEIGHT - 10,
                    esc(labels.get(i))));
        }
        legend(svg, series);
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, one per label, longest value full width. */
    static String bars(String title, List<String> labels, List<Long> values, List<String> colors) {
        int row = 22;
        int height = Math.max(row, labels.size() * row) + 8;
        int labelWidth = 200;
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        StringBuilder svg = open(title, WIDTH, height);
        for (int i = 0; i < labels.size(); i++) {
            double w = values.get(i) * (double) (WIDTH - labelWidth - 60) / max;
            int y = 4 + i * row;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#1d232b\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"></rect>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#1d232b\">%d</text>",
                    labelWidth - 6,
                    y + 14,
                    esc(shorten(labels.get(i))),
                    labelWidth,
                    y + 2,
                    w,
                    row - 6,
                    colors.get(i % colors.size()),
                    labelWidth + w + 4,
                    y + 14,
                    values.get(i)));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int width, int height) {
        return new StringBuilder(4096)
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" aria-label=\"")
                .append(esc(title))
                .append("\"><title>")
                .append(esc(title))
                .append("</title>");
    }

    private static void axis(StringBuilder svg, long max, int plot) {
        for (int k = 0; k <= 2; k++) {
            double y = TOP + plot - k * plot / 2.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e1e4e8\"></line>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6470\">%s</text>",
                    LEFT,
                    WIDTH - 4,
                    y,
                    y,
                    LEFT - 4,
                    y + 3,
                    compact(Math.round(max * k / 2.0))));
        }
    }

    private static void legend(StringBuilder svg, List<Series> series) {
        if (series.size() < 2) {
            return;
        }
        int x = LEFT;
        for (Series s : series) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"0\" width=\"10\" height=\"10\" fill=\"%s\"></rect>"
                            + "<text x=\"%d\" y=\"9\" font-size=\"10\" fill=\"#1d232b\">%s</text>",
                    x,
                    s.color(),
                    x + 14,
                    esc(s.name())));
            x += 14 + 8 * s.name().length() + 16;
        }
    }

    /** 1234 as 1.2k, 5,300,000 as 5.3M. */
    static String compact(long value) {
        if (value < 1000) {
            return Long.toString(value);
        }
        String[] units = {"k", "M", "G", "T"};
        double v = value;
        int unit = -1;
        while (v >= 1000 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[unit]);
    }

    private static String shorten(String label) {
        return label.length() > 32 ? label.substring(0, 31) + "…" : label;
    }

    private static String esc(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text);
    }
}
