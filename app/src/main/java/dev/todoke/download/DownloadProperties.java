package dev.todoke.download;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of recipient downloads, under {@code todoke.download.}.
 *
 * @param notifySender mail the sender when a recipient downloads for the first time
 */
@ConfigurationProperties("todoke.download")
record DownloadProperties(@DefaultValue("true") boolean notifySender) {}
