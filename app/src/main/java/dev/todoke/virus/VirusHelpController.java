package dev.todoke.virus;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /help/virus}: the page that a virus refusal (554 5.7.1) names, in Japanese and English on
 * one page: why the mail came back, that nothing was stored or sent, and what to do. Static; open to
 * anyone (it names no message).
 */
@Controller
class VirusHelpController {

    @GetMapping(VirusScanning.HELP_PATH)
    String help() {
        return "help/virus";
    }
}
