package dev.todoke.inspection;

import dev.todoke.testkit.Components;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * Files made by the real libraries and tools that people's files come from, each encrypted and as an
 * unencrypted twin: ZIP with zip4j (ZipCrypto and AES), PDF with PDFBox (AES-256), Office with Apache POI
 * (agile encryption: a compound file holding {@code EncryptionInfo}), 7z with Debian's 7-Zip ({@code
 * 7zz}; tests that need it skip through {@link Components} when it is absent). Shared with the gateway's
 * tests.
 */
public final class RealSamples {

    private static final char[] PASSWORD = "ppap-password".toCharArray();

    private RealSamples() {}

    /** A ZIP with one text entry: unencrypted, ZipCrypto, or AES-256. */
    public static byte[] zip4j(EncryptionMethod method, String name, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean encrypted = method != EncryptionMethod.NONE;
        try (ZipOutputStream zip = encrypted ? new ZipOutputStream(out, PASSWORD) : new ZipOutputStream(out)) {
            ZipParameters parameters = new ZipParameters();
            parameters.setFileNameInZip(name);
            parameters.setEncryptFiles(encrypted);
            parameters.setEncryptionMethod(method);
            if (method == EncryptionMethod.AES) {
                parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
            }
            zip.putNextEntry(parameters);
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A one-page PDF showing these lines (ASCII, standard font); encrypted with AES-256 when asked. */
    public static byte[] pdf(boolean encrypted, String... lines) {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.setLeading(16);
                content.newLineAtOffset(50, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
            if (encrypted) {
                StandardProtectionPolicy policy =
                        new StandardProtectionPolicy("owner-password", new String(PASSWORD), new AccessPermission());
                policy.setEncryptionKeyLength(256);
                document.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An .xlsx with these cell values in column A, one per row (a ZIP: Office Open XML). */
    public static byte[] xlsx(String... cells) {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            var sheet = workbook.createSheet("Sheet1");
            for (int i = 0; i < cells.length; i++) {
                sheet.createRow(i).createCell(0).setCellValue(cells[i]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A .docx with these paragraphs. */
    public static byte[] docx(String... paragraphs) {
        try (XWPFDocument document = new XWPFDocument()) {
            for (String p : paragraphs) {
                document.createParagraph().createRun().setText(p);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An Office Open XML file encrypted with a password the way Office does it (agile encryption): an
     * OLE2 compound file holding {@code EncryptionInfo} and {@code EncryptedPackage}.
     */
    public static byte[] encryptedOffice(byte[] ooxml) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor encryptor = info.getEncryptor();
            encryptor.confirmPassword(new String(PASSWORD));
            try (OPCPackage opc = OPCPackage.open(new ByteArrayInputStream(ooxml));
                    OutputStream os = encryptor.getDataStream(fs)) {
                opc.save(os);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException
                | java.security.GeneralSecurityException
                | org.apache.poi.openxml4j.exceptions.InvalidFormatException e) {
            throw new IllegalStateException("cannot encrypt the Office sample", e);
        }
    }

    /** Debian's 7-Zip ({@code 7zz}, else {@code 7z}), or null when neither is installed. */
    static Path sevenZip() {
        for (String candidate : List.of("/usr/bin/7zz", "/usr/bin/7z", "/usr/local/bin/7zz")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Skips (fails under CI) the calling test when 7-Zip is not installed. */
    public static void require7zip() {
        Components.require("7-Zip (7zz)", sevenZip() != null, "apt-get install -y 7zip");
    }

    /**
     * A 7z archive made by 7-Zip holding one text file: unencrypted, AES for the files only (the header
     * stays readable, LZMA-compressed), or AES with the header encrypted too ({@code -mhe=on}).
     */
    public static byte[] sevenZip(Path workDir, boolean encrypted, boolean encryptHeader, String text) {
        try {
            Path dir = Files.createTempDirectory(workDir, "7z");
            Path file = dir.resolve("figures.txt");
            Files.writeString(file, text);
            Path archive = dir.resolve("out.7z");
            List<String> command = new ArrayList<>(List.of(sevenZip().toString(), "a", "-bd", "-y"));
            if (encrypted) {
                command.add("-p" + new String(PASSWORD));
                command.add(encryptHeader ? "-mhe=on" : "-mhe=off");
            }
            command.add(archive.toString());
            command.add(file.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("7-Zip failed to make the sample");
            }
            return Files.readAllBytes(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
