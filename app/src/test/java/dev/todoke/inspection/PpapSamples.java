package dev.todoke.inspection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;

/**
 * Small files in each format the detector knows, built byte by byte (no archiver needed): each in an
 * encrypted and an unencrypted form. Shared with the gateway's tests.
 */
public final class PpapSamples {

    /** A 7z coder entry: 4-byte id with properties, 7zAES ({@code 06 F1 07 01}), 2 bytes of properties. */
    private static final byte[] AES_CODER = {0x24, 0x06, (byte) 0xF1, 0x07, 0x01, 0x02, 0x13, 0x07};

    private PpapSamples() {}

    /** A stored ZIP entry; {@code encrypted} sets general purpose bit 0 (ZipCrypto) before the data. */
    public static byte[] zip(boolean encrypted) {
        byte[] data = "quarterly figures".getBytes(StandardCharsets.US_ASCII);
        byte[] stored = encrypted ? concat(new byte[12], data) : data; // ZipCrypto: a 12-byte header
        return handZip("figures.txt", stored, data, encrypted ? 1 : 0, 0, new byte[0]);
    }

    /** A ZIP entry encrypted with WinZip AES: method 99 and the 0x9901 extra field, bit 0 as well. */
    public static byte[] aesZip() {
        byte[] extra = bytes(le(11).putShort((short) 0x9901)
                .putShort((short) 7)
                .putShort((short) 2)
                .put("AE".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 3)
                .putShort((short) 0));
        byte[] stored = new byte[16 + 2 + 5 + 10]; // salt, verifier, data, MAC
        return handZip("secret.txt", stored, new byte[5], 1, 99, extra);
    }

    /** A plain ZIP (deflated, with data descriptors) holding {@code inner} as {@code inner.zip}. */
    public static byte[] zipHolding(String name, byte[] inner) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("see the other file".getBytes(StandardCharsets.US_ASCII));
            zip.putNextEntry(new ZipEntry(name));
            zip.write(inner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A one-page-less PDF; with {@code /Encrypt} in its trailer when encrypted. */
    public static byte[] pdf(boolean encrypted) {
        String encrypt = encrypted
                ? "3 0 obj\n<< /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef)"
                        + " /U (0123456789abcdef0123456789abcdef) /P -44 >>\nendobj\n"
                : "";
        String body = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" + encrypt;
        String trailer = "xref\n0 " + (encrypted ? 4 : 3) + "\n0000000000 65535 f \n"
                + "trailer\n<< /Size " + (encrypted ? 4 : 3) + " /Root 1 0 R"
                + (encrypted ? " /Encrypt 3 0 R /ID [<00112233><00112233>]" : "") + " >>\nstartxref\n"
                + body.length() + "\n%%EOF\n";
        return (body + trailer).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * An OLE2 compound file (512-byte sectors: header, FAT, directory): with the streams
     * EncryptionInfo and EncryptedPackage when encrypted (a password-protected .docx), with
     * WordDocument otherwise.
     */
    public static byte[] cfb(boolean encrypted) {
        ByteBuffer file = ByteBuffer.allocate(512 * 3).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1});
        file.position(24);
        file.putShort((short) 0x3E).putShort((short) 3).putShort((short) 0xFFFE).putShort((short) 9);
        file.putShort((short) 6).position(44);
        file.putInt(1)
                .putInt(1)
                .putInt(0)
                .putInt(4096)
                .putInt(-2)
                .putInt(0)
                .putInt(-2)
                .putInt(0);
        file.putInt(0); // DIFAT[0]: the FAT is sector 0
        for (int i = 1; i < 109; i++) {
            file.putInt(-1);
        }
        file.position(512).putInt(-3).putInt(-2); // FAT: itself, the directory's one sector
        for (int i = 2; i < 128; i++) {
            file.putInt(-1);
        }
        file.position(1024);
        directoryEntry(file, "Root Entry", 5, 1);
        if (encrypted) {
            directoryEntry(file, "EncryptionInfo", 2, -1);
            directoryEntry(file, "EncryptedPackage", 2, -1);
        } else {
            directoryEntry(file, "WordDocument", 2, -1);
        }
        return file.array();
    }

    private static void directoryEntry(ByteBuffer file, String name, int type, int child) {
        int start = file.position();
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        file.put(utf16).position(start + 64);
        file.putShort((short) (utf16.length + 2)).put((byte) type).put((byte) 1);
        file.putInt(-1).putInt(-1).putInt(child);
        file.position(start + 116).putInt(-2).putLong(0);
    }

    /**
     * A 7z archive as 7-Zip writes it by default: 16 bytes of file data, then the header compressed with
     * LZMA, then an encoded header that describes it; the compressed header names 7zAES for the files
     * when {@code aesFiles}.
     */
    public static byte[] sevenZipCompressedHeader(boolean aesFiles) {
        byte[] plain = sevenZipHeader(aesFiles);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        int props;
        LZMA2Options options = new LZMA2Options();
        try {
            options.setDictSize(1 << 16);
            LZMAOutputStream lzma = new LZMAOutputStream(compressed, options, false);
            lzma.write(plain);
            lzma.finish();
            props = lzma.getProps();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] packedHeader = compressed.toByteArray();
        byte[] next = concat(
                new byte[] {0x17, 0x06, 0x10, 0x01, 0x09, (byte) packedHeader.length, 0x00},
                new byte[] {0x07, 0x0B, 0x01, 0x00, 0x01, 0x23, 0x03, 0x01, 0x01, 0x05, (byte) props},
                bytes(le(4).putInt(options.getDictSize())),
                new byte[] {0x0C, (byte) plain.length, 0x00, 0x00});
        return sevenZipArchive(concat(new byte[16], packedHeader), next);
    }

    private static byte[] sevenZipHeader(boolean aesFiles) {
        byte[] lzma = {0x23, 0x03, 0x01, 0x01, 0x05, 0x5D, 0x00, 0x00, 0x10, 0x00};
        byte[] coders = aesFiles
                ? concat(new byte[] {0x02}, AES_CODER, lzma, new byte[] {0x01, 0x00})
                : concat(new byte[] {0x01}, lzma);
        return concat(
                new byte[] {0x01, 0x04, 0x06, 0x00, 0x01, 0x09, 0x10, 0x00, 0x07, 0x0B, 0x01, 0x00},
                coders,
                new byte[] {0x0C, 0x10, 0x00, 0x00, 0x00});
    }

    /**
     * A 7z archive: the start header, 16 bytes of packed data, and the next header. {@code aesHeader}:
     * the header itself is encoded with 7zAES (-mhe=on); {@code aesFiles}: a plain header whose folder
     * has the coders 7zAES and LZMA; neither: LZMA only.
     */
    public static byte[] sevenZip(boolean aesHeader, boolean aesFiles) {
        byte[] next = aesHeader
                ? concat(
                        new byte[] {0x17, 0x06, 0x00, 0x01, 0x09, 0x10, 0x00, 0x07, 0x0B, 0x01, 0x00, 0x01},
                        AES_CODER,
                        new byte[] {0x0C, 0x10, 0x00, 0x00})
                : sevenZipHeader(aesFiles);
        return sevenZipArchive(new byte[16], next);
    }

    private static byte[] sevenZipArchive(byte[] packed, byte[] next) {
        CRC32 nextCrc = new CRC32();
        nextCrc.update(next);
        byte[] startFields =
                bytes(le(20).putLong(packed.length).putLong(next.length).putInt((int) nextCrc.getValue()));
        CRC32 startCrc = new CRC32();
        startCrc.update(startFields);
        byte[] signature = {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0x00, 0x04};
        return concat(signature, bytes(le(4).putInt((int) startCrc.getValue())), startFields, packed, next);
    }

    /**
     * A RAR5 archive built by hand (no free RAR writer exists): the main header, one file header with
     * its data and the end header; {@code encryptedFile} gives the file header an encryption extra
     * record, {@code encryptedHeaders} puts an archive encryption header first.
     */
    public static byte[] rar5(boolean encryptedFile, boolean encryptedHeaders) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00});
        if (encryptedHeaders) {
            out.writeBytes(block(concat(new byte[] {0x04, 0x00, 0x00, 0x00, 0x0F}, new byte[16])));
            out.writeBytes(new byte[64]); // what follows is encrypted
            return out.toByteArray();
        }
        out.writeBytes(block(new byte[] {0x01, 0x00, 0x00}));
        byte[] data = "figures".getBytes(StandardCharsets.US_ASCII);
        byte[] name = "figures.txt".getBytes(StandardCharsets.US_ASCII);
        byte[] extra = encryptedFile ? concat(new byte[] {34, 0x01, 0x00, 0x00, 0x0F}, new byte[32]) : new byte[0];
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x02, (byte) (encryptedFile ? 0x03 : 0x02)});
        if (encryptedFile) {
            header.write(extra.length);
        }
        header.writeBytes(new byte[] {(byte) data.length, 0x00, (byte) data.length, 0x20, 0x00, 0x00});
        header.write(name.length);
        header.writeBytes(name);
        header.writeBytes(extra);
        out.writeBytes(block(header.toByteArray()));
        out.writeBytes(data);
        out.writeBytes(block(new byte[] {0x05, 0x00, 0x00}));
        return out.toByteArray();
    }

    private static byte[] block(byte[] header) {
        byte[] size = {(byte) header.length};
        CRC32 crc = new CRC32();
        crc.update(size);
        crc.update(header);
        return concat(bytes(le(4).putInt((int) crc.getValue())), size, header);
    }

    private static byte[] handZip(String name, byte[] stored, byte[] plain, int flags, int method, byte[] extra) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(plain);
        byte[] local = bytes(le(30).putInt(0x04034b50)
                .putShort((short) 20)
                .putShort((short) flags)
                .putShort((short) method)
                .putInt(0)
                .putInt((int) crc.getValue())
                .putInt(stored.length)
                .putInt(plain.length)
                .putShort((short) nameBytes.length)
                .putShort((short) extra.length));
        byte[] central = bytes(le(46).putInt(0x02014b50)
                .putShort((short) 20)
                .putShort((short) 20)
                .putShort((short) flags)
                .putShort((short) method)
                .putInt(0)
                .putInt((int) crc.getValue())
                .putInt(stored.length)
                .putInt(plain.length)
                .putShort((short) nameBytes.length)
                .putShort((short) extra.length)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 0)
                .putInt(0)
                .putInt(0));
        int centralAt = local.length + nameBytes.length + extra.length + stored.length;
        int centralSize = central.length + nameBytes.length + extra.length;
        byte[] end = bytes(le(22).putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(centralSize)
                .putInt(centralAt)
                .putShort((short) 0));
        return concat(local, nameBytes, extra, stored, central, nameBytes, extra, end);
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer filled) {
        return filled.array();
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
