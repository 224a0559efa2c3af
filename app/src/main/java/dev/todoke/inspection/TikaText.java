package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.tika.exception.TikaException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Extracts the text of a PDF or Office file with Apache Tika (only its PDF, Microsoft Office and text
 * parsers are on the class path, none for archives) straight into a {@link TextScanner}, never into a
 * string: at most {@code maxChars} characters, then the parse is stopped. Embedded documents are not
 * parsed; Word and PowerPoint files are read with Tika's SAX extractors (memory does not grow with the
 * document as with POI's object model); a file is given to Tika as a path so that POI and PDFBox read it
 * with random access instead of buffering it. The calling thread's interrupt stops the parse at the next
 * text the parser emits. Thread-safe (Tika's parser is).
 */
final class TikaText {

    /** How a parse ended. */
    enum End {
        COMPLETE,
        TRUNCATED,
        INTERRUPTED,
        UNREADABLE
    }

    private final AutoDetectParser parser = new AutoDetectParser();
    private final long maxChars;

    TikaText(long maxChars) {
        this.maxChars = maxChars;
    }

    End extract(Path file, TextScanner scanner) throws IOException {
        ScanningHandler handler = new ScanningHandler(scanner, maxChars);
        ParseContext context = new ParseContext();
        OfficeParserConfig office = new OfficeParserConfig();
        office.setUseSAXDocxExtractor(true);
        office.setUseSAXPptxExtractor(true);
        office.setExtractMacros(false);
        office.setIncludeDeletedContent(false);
        context.set(OfficeParserConfig.class, office);
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setExtractInlineImages(false);
        pdf.setExtractAnnotationText(true);
        context.set(PDFParserConfig.class, pdf);
        context.set(EmbeddedDocumentExtractor.class, new SkipEmbedded());
        try (TikaInputStream in = TikaInputStream.get(file)) {
            parser.parse(in, handler, new Metadata(), context);
            scanner.end();
            return End.COMPLETE;
        } catch (SAXException | TikaException | RuntimeException e) {
            scanner.end();
            if (handler.stopped != null) {
                return handler.stopped;
            }
            return Thread.currentThread().isInterrupted() ? End.INTERRUPTED : End.UNREADABLE;
        }
    }

    /** Feeds the text to the scanner; stops the parse at the character limit or an interrupt. */
    private static final class ScanningHandler extends DefaultHandler {
        private final TextScanner scanner;
        private final long maxChars;
        private long chars;
        private End stopped;
        private boolean inBody;

        ScanningHandler(TextScanner scanner, long maxChars) {
            this.scanner = scanner;
            this.maxChars = maxChars;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            if ("body".equals(localName) || "body".equals(qName)) {
                inBody = true; // the head holds metadata, not the document's lines
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (!inBody) {
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                stopped = End.INTERRUPTED;
                throw new SAXException("text extraction interrupted");
            }
            int allowed = (int) Math.min(length, maxChars - chars);
            scanner.accept(ch, start, allowed);
            chars += allowed;
            if (allowed < length) {
                stopped = End.TRUNCATED;
                throw new SAXException("text extraction reached its character limit");
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            characters(ch, start, length);
        }
    }

    /** Embedded documents (an object inside a Word file, an attachment of a PDF) are not parsed. */
    private static final class SkipEmbedded implements EmbeddedDocumentExtractor {
        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            return false;
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
            // never called: shouldParseEmbedded says no
        }
    }
}
