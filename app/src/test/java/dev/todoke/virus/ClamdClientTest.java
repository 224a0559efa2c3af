package dev.todoke.virus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.testkit.ClamdServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The INSTREAM client against a real clamd (Debian's, started by {@link ClamdServer} with its own test
 * signatures and small limits: 1 MB per stream, 512 KB per file), and against peers that misbehave.
 */
class ClamdClientTest {

    @RegisterExtension
    static final ClamdServer clamd =
            new ClamdServer().with("StreamMaxLength", "1M").with("MaxFileSize", "512K");

    private ClamdClient client() {
        return new ClamdClient("127.0.0.1", clamd.port(), Duration.ofSeconds(10));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void scanWhenCleanThenClean() throws IOException {
        ScanResult result = client().scan(new ByteArrayInputStream("hello, world".getBytes(StandardCharsets.US_ASCII)));

        assertThat(result).isEqualTo(new ScanResult(ScanResult.Verdict.CLEAN, ""));
    }

    @Test
    void scanWhenEicarThenInfectedWithItsSignature() throws IOException {
        ScanResult result = client().scan(new ByteArrayInputStream(ClamdServer.eicar()));

        assertThat(result.verdict()).isEqualTo(ScanResult.Verdict.INFECTED);
        assertThat(result.signature()).startsWith(ClamdServer.EICAR_SIGNATURE);
    }

    @Test
    void scanWhenHashSignedPayloadThenInfected() throws IOException {
        ScanResult result = client().scan(new ByteArrayInputStream(ClamdServer.infectedPayload()));

        assertThat(result.verdict()).isEqualTo(ScanResult.Verdict.INFECTED);
        assertThat(result.signature()).startsWith(ClamdServer.PAYLOAD_SIGNATURE);
    }

    @Test
    void scanWhenPayloadChangedByOneByteThenClean() throws IOException {
        byte[] payload = ClamdServer.infectedPayload();
        payload[5000] ^= 1;

        assertThat(client().scan(new ByteArrayInputStream(payload)).verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
    }

    @Test
    void scanWhenEicarAfterSeveralChunksThenInfected() throws IOException {
        byte[] content = new byte[3 * ClamdClient.CHUNK + 100 + ClamdServer.eicar().length];
        Arrays.fill(content, (byte) 'a');
        System.arraycopy(ClamdServer.eicar(), 0, content, 3 * ClamdClient.CHUNK + 100, ClamdServer.eicar().length);

        assertThat(client().scan(new ByteArrayInputStream(content)).verdict()).isEqualTo(ScanResult.Verdict.INFECTED);
    }

    @Test
    void scanWhenBeyondStreamMaxLengthThenTooLarge() throws IOException {
        ScanResult result = client().scan(new ByteArrayInputStream(random(5_000_000, 1)));

        assertThat(result.verdict()).isEqualTo(ScanResult.Verdict.TOO_LARGE);
    }

    @Test
    void scanWhenBeyondMaxFileSizeThenTooLargeWithTheHeuristic() throws IOException {
        ScanResult result = client().scan(new ByteArrayInputStream(random(700_000, 2)));

        assertThat(result.verdict()).isEqualTo(ScanResult.Verdict.TOO_LARGE);
        assertThat(result.signature()).startsWith("Heuristics.Limits.Exceeded");
    }

    @Test
    void scanWhenContentCannotBeReadThenItsIOExceptionPassesThrough() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("spool gone");
            }
        };

        assertThatThrownBy(() -> client().scan(broken))
                .isInstanceOf(IOException.class)
                .hasMessage("spool gone");
    }

    @Test
    void pingWhenRunningThenAnswers() {
        client().ping();
    }

    @Test
    void scanWhenNothingListensThenUnavailable() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ClamdClient nowhere = new ClamdClient("127.0.0.1", port, Duration.ofSeconds(2));

        assertThatThrownBy(() -> nowhere.scan(new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(ClamdUnavailableException.class)
                .hasMessageContaining("cannot connect");
    }

    @Test
    void scanWhenPeerNeverReadsThenTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepting = Thread.ofVirtual().start(() -> {
                try (Socket ignored = server.accept()) {
                    Thread.sleep(20_000);
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            ClamdClient stuck = new ClamdClient("127.0.0.1", server.getLocalPort(), Duration.ofMillis(500));
            long start = System.nanoTime();

            assertThatThrownBy(() -> stuck.scan(new ByteArrayInputStream(new byte[50_000_000])))
                    .isInstanceOf(ClamdUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            accepting.interrupt();
        }
    }

    @Test
    void scanWhenPeerReadsButNeverAnswersThenTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the client went away
                }
            });
            ClamdClient silent = new ClamdClient("127.0.0.1", server.getLocalPort(), Duration.ofMillis(500));

            assertThatThrownBy(() -> silent.scan(new ByteArrayInputStream(new byte[1000])))
                    .isInstanceOf(ClamdUnavailableException.class)
                    .hasMessageContaining("did not take data or answer");
        }
    }

    @Test
    void parseWhenAnswersThenVerdicts() {
        assertThat(ClamdClient.parse("stream: OK").verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
        assertThat(ClamdClient.parse("stream: Win.Test.EICAR_HDB-1 FOUND"))
                .isEqualTo(new ScanResult(ScanResult.Verdict.INFECTED, "Win.Test.EICAR_HDB-1"));
        assertThat(ClamdClient.parse("INSTREAM size limit exceeded. ERROR").verdict())
                .isEqualTo(ScanResult.Verdict.TOO_LARGE);
        assertThat(ClamdClient.parse("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND")
                        .verdict())
                .isEqualTo(ScanResult.Verdict.TOO_LARGE);
        assertThat(ClamdClient.parse("stream: Bad\u00e9Name\r FOUND").signature())
                .isEqualTo("Bad?Name?");
        assertThatThrownBy(() -> ClamdClient.parse("stream: Can't allocate memory ERROR"))
                .isInstanceOf(ClamdUnavailableException.class);
        assertThatThrownBy(() -> ClamdClient.parse("what?")).isInstanceOf(ClamdUnavailableException.class);
    }
}
