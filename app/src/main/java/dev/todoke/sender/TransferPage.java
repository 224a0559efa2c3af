package dev.todoke.sender;

import dev.todoke.transfer.Transfers;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * What the sender's two pages of one transfer (signed in: {@code /my/{id}}; by management link:
 * {@code /s/{token}}) put in their model alike: subject, files, recipients, times in {@code zone} and
 * the expiry form's bounds.
 */
final class TransferPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

    private TransferPage() {}

    /** The view {@code view} of {@code message}, whose forms post below {@code path}. */
    static ModelAndView of(
            String view,
            String path,
            Transfers.Message message,
            SenderDesk.Overview overview,
            Instant maximum,
            ZoneId zone) {
        ModelAndView page = new ModelAndView(view);
        page.addObject("path", path);
        page.addObject("subject", message.subject());
        page.addObject("overview", overview);
        page.addObject("createdAt", format(message.createdAt(), zone));
        page.addObject("expiresAt", format(message.expiresAt(), zone));
        page.addObject("expiresInput", INPUT.format(message.expiresAt().atZone(zone)));
        page.addObject("maximum", format(maximum, zone));
        page.addObject("maximumInput", INPUT.format(maximum.atZone(zone)));
        page.addObject("zone", zone.getId());
        Map<String, String> fileNames = overview.files().stream()
                .collect(Collectors.toMap(SenderDesk.FileInfo::id, SenderDesk.FileInfo::name, (a, b) -> a));
        page.addObject("fileNames", fileNames);
        page.addObject("times", (Function<String, String>) iso -> format(Instant.parse(iso), zone));
        return page;
    }

    /** A time as the pages show it: to the minute, in {@code zone}. */
    static String format(Instant instant, ZoneId zone) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MINUTES).atZone(zone));
    }

    /** 303 to {@code path}: after a form post, the page again. */
    static ModelAndView seeOther(String path) {
        RedirectView redirect = new RedirectView(path, true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return new ModelAndView(redirect);
    }
}
