package dev.todoke.virus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The virus scan's settings resolved once: {@code todoke.clamav.enabled} unset means on in production
 * mode and off in dev mode. Logs the outcome at startup (a warning when production runs without the
 * scan or fails open). Connects to nothing: clamd may start after Todoke, and a mail that finds it
 * missing is answered 451.
 */
@Configuration(proxyBeanMethods = false)
class VirusConfiguration {

    private static final Logger log = LoggerFactory.getLogger(VirusConfiguration.class);

    @Bean
    VirusScanning virusScanning(ClamavProperties properties, Environment environment) {
        boolean production = "production"
                .equalsIgnoreCase(environment.getProperty("todoke.mode", "dev").trim());
        boolean enabled = properties.enabledIn(production);
        ClamdClient clamd = new ClamdClient(properties.host(), properties.port(), properties.timeout());
        if (!enabled) {
            if (production) {
                log.warn(
                        "Virus scan: off (todoke.clamav.enabled=false) in production mode: attachments are not scanned");
            } else {
                log.info("Virus scan: off (dev mode; set todoke.clamav.enabled=true to scan with clamd)");
            }
        } else if (properties.failOpen()) {
            log.warn(
                    "Virus scan: clamd at {}, FAIL OPEN (todoke.clamav.fail-open=true): mail passes unscanned while"
                            + " clamd cannot be asked",
                    clamd.address());
        } else {
            log.info("Virus scan: clamd at {} (fail closed: 451 while clamd cannot be asked)", clamd.address());
        }
        return new VirusScanning(enabled, clamd, properties.failOpen(), properties.oversize());
    }
}
