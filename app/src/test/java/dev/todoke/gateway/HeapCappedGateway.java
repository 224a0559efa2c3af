package dev.todoke.gateway;

import dev.todoke.TodokeApplication;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.storage.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole application in a child JVM for {@link VirusScanLargeFileTest} (started with a small
 * {@code -Xmx}): prints {@code SMTP-PORT=n} once it listens, waits for a line on standard input (the
 * parent has sent its mail), then prints every stored file with its recorded SHA-256 and the SHA-256 of
 * its blob read back from the store, the clean scans counted, the heap limit, and exits.
 */
final class HeapCappedGateway {

    private HeapCappedGateway() {}

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(TodokeApplication.class, args);
        System.out.println("SMTP-PORT=" + context.getBean(SmtpListener.class).port());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();

        BlobStore store = context.getBean(BlobStore.class);
        List<Map<String, Object>> files = context.getBean(JdbcClient.class)
                .sql("select name, size, sha256, blob_key from stored_file")
                .query()
                .listOfRows();
        for (Map<String, Object> file : files) {
            String actual;
            try (InputStream in = store.open((String) file.get("blob_key"))) {
                actual = TestMails.sha256(in);
            }
            System.out.println("STORED name=" + file.get("name") + " size=" + file.get("size") + " recorded="
                    + file.get("sha256") + " actual=" + actual);
        }
        Counter clean = context.getBean(MeterRegistry.class)
                .find("todoke.virus.scans")
                .tag("result", "clean")
                .counter();
        System.out.println("CLEAN-SCANS=" + (clean == null ? 0 : (long) clean.count()));
        System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory());
        System.out.flush();
        System.exit(SpringApplication.exit(context));
    }
}
