package dev.todoke.templates;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the editable mail templates, under {@code todoke.templates.}.
 *
 * @param refreshInterval how long a replica renders with the edits it last read before reading them again
 * @param maxLogoBytes the largest logo an administrator may upload
 */
@ConfigurationProperties("todoke.templates")
record TemplatesProperties(
        @DefaultValue("2s") Duration refreshInterval,
        @DefaultValue("102400") int maxLogoBytes) {}
