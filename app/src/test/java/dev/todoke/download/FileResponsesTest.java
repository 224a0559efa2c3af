package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.storage.MemoryBlobStore;
import dev.todoke.transfer.StoredFile;
import dev.todoke.web.TestRows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class FileResponsesTest {

    private final MemoryBlobStore store = new MemoryBlobStore();
    private final FileResponses responses = new FileResponses(store, new SimpleMeterRegistry());

    @Test
    void contentDispositionWhenJapaneseNameThenAsciiFallbackAndUtf8FilenameStar() {
        assertThat(FileResponses.contentDisposition("見積書 2026.pdf"))
                .isEqualTo(
                        "attachment; filename=\"___ 2026.pdf\"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8%202026.pdf");
    }

    @Test
    void contentDispositionWhenQuotesAndPathsThenNeutralised() {
        assertThat(FileResponses.contentDisposition("..\\evil\"name;.txt"))
                .isEqualTo("attachment; filename=\"evil_name;.txt\"; filename*=UTF-8''evil%22name%3B.txt");
        assertThat(FileResponses.contentDisposition("a/b/../..")).startsWith("attachment; filename=\"file\"");
    }

    @Test
    void contentTypeWhenUnparseableOrWildcardThenOctetStream() {
        assertThat(FileResponses.contentType("application/pdf")).isEqualTo("application/pdf");
        assertThat(FileResponses.contentType("text/plain; charset=UTF-8")).isEqualTo("text/plain;charset=UTF-8");
        assertThat(FileResponses.contentType("nonsense")).isEqualTo("application/octet-stream");
        assertThat(FileResponses.contentType("*/*")).isEqualTo("application/octet-stream");
    }

    @Test
    void writeZipWhenJapaneseAndDuplicateNamesThenUtf8FlagUnicodeExtraFieldsUniqueNamesAndSameBytes() throws Exception {
        List<StoredFile> files = new ArrayList<>();
        files.add(file("見積書.xlsx", "quote".getBytes(StandardCharsets.UTF_8)));
        files.add(file("報告.txt", "report 1".getBytes(StandardCharsets.UTF_8)));
        files.add(file("報告.txt", "report 2".getBytes(StandardCharsets.UTF_8)));
        files.add(file("../../etc/passwd", "x".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        responses.writeZip(files, Instant.parse("2026-11-23T09:00:00Z"), out);

        try (ZipFile zip = ZipFile.builder()
                .setSeekableByteChannel(new SeekableInMemoryByteChannel(out.toByteArray()))
                .get()) {
            List<String> names = new ArrayList<>();
            for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
                names.add(entry.getName());
                assertThat(entry.getGeneralPurposeBit().usesUTF8ForNames()).isTrue();
                assertThat(entry.getExtraField(UnicodePathExtraField.UPATH_ID)).isNotNull();
            }
            assertThat(names).containsExactly("見積書.xlsx", "報告.txt", "報告 (2).txt", "passwd");
            assertThat(zip.getInputStream(zip.getEntry("報告 (2).txt")).readAllBytes())
                    .isEqualTo("report 2".getBytes(StandardCharsets.UTF_8));
            assertThat(zip.getInputStream(zip.getEntry("見積書.xlsx")).readAllBytes())
                    .isEqualTo("quote".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void sendFileWhenIfRangeDoesNotMatchThenWholeFile() throws Exception {
        StoredFile file = file("a.bin", new byte[] {1, 2, 3, 4, 5});
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/d/t/files/x");
        request.addHeader("Range", "bytes=1-2");
        request.addHeader("If-Range", "\"something-else\"");
        MockHttpServletResponse response = new MockHttpServletResponse();

        boolean fromStart = responses.sendFile(file, request, response);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsByteArray()).containsExactly(1, 2, 3, 4, 5);
        assertThat(fromStart).isTrue();
    }

    @Test
    void sendFileWhenRangeWithMatchingIfRangeThenPartialAndNotCountedAsANewDownload() throws Exception {
        StoredFile file = file("a.bin", new byte[] {1, 2, 3, 4, 5});
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/d/t/files/x");
        request.addHeader("Range", "bytes=1-2");
        request.addHeader("If-Range", "\"" + file.sha256() + "\"");
        MockHttpServletResponse response = new MockHttpServletResponse();

        boolean fromStart = responses.sendFile(file, request, response);

        assertThat(response.getStatus()).isEqualTo(206);
        assertThat(response.getContentAsByteArray()).containsExactly(2, 3);
        assertThat(response.getHeader("Content-Range")).isEqualTo("bytes 1-2/5");
        assertThat(fromStart).isFalse();
    }

    private int ordinal;

    private StoredFile file(String name, byte[] bytes) {
        String key = store.put(new ByteArrayInputStream(bytes)).key();
        return new StoredFile(
                UUID.randomUUID(),
                ordinal++,
                name,
                "application/octet-stream",
                bytes.length,
                TestRows.sha256(bytes),
                key);
    }
}
