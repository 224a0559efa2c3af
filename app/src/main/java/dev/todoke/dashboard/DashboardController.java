package dev.todoke.dashboard;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The console's first page, {@code GET /admin} (also {@code /admin/dashboard}), with {@code ?days=} (1 to
 * 90, default 14): the charts as inline SVG and the numbers as a table; and the same numbers as JSON at
 * {@code GET /api/v1/admin/dashboard?days=}.
 */
@Controller
class DashboardController {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    private final Dashboard dashboard;
    private final MessageSource messages;

    DashboardController(Dashboard dashboard, MessageSource messages) {
        this.dashboard = dashboard;
        this.messages = messages;
    }

    @GetMapping({"/admin", "/admin/", "/admin/dashboard"})
    String page(@RequestParam(defaultValue = "14") int days, Model model, Locale locale) {
        Dashboard.Report report = dashboard.report(days);
        List<String> labels =
                report.days().stream().map(d -> DAY.format(d.date())).toList();
        model.addAttribute("report", report);
        model.addAttribute("totals", report.totals());
        model.addAttribute("days", report.days().size());
        model.addAttribute("path", "/admin");
        model.addAttribute(
                "charts",
                List.of(
                        chart(
                                "dashboard.chart.mailsFiles",
                                SvgCharts.columns(
                                        text("dashboard.chart.mailsFiles", locale),
                                        labels,
                                        List.of(
                                                series(
                                                        report,
                                                        "dashboard.mails",
                                                        Dashboard.Day::mails,
                                                        SvgCharts.BLUE,
                                                        locale),
                                                series(
                                                        report,
                                                        "dashboard.files",
                                                        Dashboard.Day::files,
                                                        SvgCharts.GREEN,
                                                        locale))),
                                locale),
                        chart(
                                "dashboard.chart.bytes",
                                SvgCharts.columns(
                                        text("dashboard.chart.bytes", locale),
                                        labels,
                                        List.of(series(
                                                report,
                                                "dashboard.bytes",
                                                Dashboard.Day::bytes,
                                                SvgCharts.BLUE,
                                                locale))),
                                locale),
                        chart(
                                "dashboard.chart.downloads",
                                SvgCharts.columns(
                                        text("dashboard.chart.downloads", locale),
                                        labels,
                                        List.of(series(
                                                report,
                                                "dashboard.downloads",
                                                Dashboard.Day::downloads,
                                                SvgCharts.GREEN,
                                                locale))),
                                locale),
                        chart(
                                "dashboard.chart.codes",
                                SvgCharts.columns(
                                        text("dashboard.chart.codes", locale),
                                        labels,
                                        List.of(
                                                series(
                                                        report,
                                                        "dashboard.codeFailures",
                                                        Dashboard.Day::codeFailures,
                                                        SvgCharts.ORANGE,
                                                        locale),
                                                series(
                                                        report,
                                                        "dashboard.lockouts",
                                                        Dashboard.Day::lockouts,
                                                        SvgCharts.RED,
                                                        locale))),
                                locale),
                        chart(
                                "dashboard.chart.refused",
                                SvgCharts.columns(
                                        text("dashboard.chart.refused", locale),
                                        labels,
                                        List.of(
                                                series(
                                                        report,
                                                        "dashboard.refused",
                                                        Dashboard.Day::refused,
                                                        SvgCharts.RED,
                                                        locale),
                                                series(
                                                        report,
                                                        "dashboard.tempFailed",
                                                        Dashboard.Day::tempFailed,
                                                        SvgCharts.GREY,
                                                        locale))),
                                locale),
                        chart(
                                "dashboard.chart.tls",
                                SvgCharts.bars(
                                        text("dashboard.chart.tls", locale),
                                        report.tlsVerdicts().keySet().stream()
                                                .map(v -> text("dashboard.tls." + v, locale))
                                                .toList(),
                                        List.copyOf(report.tlsVerdicts().values()),
                                        List.of(
                                                SvgCharts.GREEN,
                                                SvgCharts.BLUE,
                                                SvgCharts.RED,
                                                SvgCharts.ORANGE,
                                                SvgCharts.GREY,
                                                SvgCharts.GREY)),
                                locale),
                        chart(
                                "dashboard.chart.domains",
                                SvgCharts.bars(
                                        text("dashboard.chart.domains", locale),
                                        report.topDomains().stream()
                                                .map(Dashboard.Domain::domain)
                                                .toList(),
                                        report.topDomains().stream()
                                                .map(Dashboard.Domain::links)
                                                .toList(),
                                        List.of(SvgCharts.BLUE)),
                                locale)));
        return "admin/dashboard";
    }

    @GetMapping(value = "/api/v1/admin/dashboard", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Dashboard.Report json(@RequestParam(defaultValue = "14") int days) {
        return dashboard.report(days);
    }

    /** A chart for the page: its caption and its SVG markup. */
    record Chart(String caption, String svg) {}

    private Chart chart(String key, String svg, Locale locale) {
        return new Chart(text(key, locale), svg);
    }

    private SvgCharts.Series series(
            Dashboard.Report report, String key, ToLongFunction<Dashboard.Day> f, String color, Locale locale) {
        return new SvgCharts.Series(
                text(key, locale),
                report.days().stream().map(d -> f.applyAsLong(d)).toList(),
                color);
    }

    private String text(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }
}
