package dev.todoke.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The licence: {@code LICENSE} holds the Apache License 2.0, the parent pom declares it, and every
 * module inherits it (each module's parent is the reactor's parent and no module declares another).
 */
class LicenseTest {

    private static final Path ROOT = Project.root();

    @Test
    void licenseFileWhenReadThenApacheLicenseTwoPointZero() throws Exception {
        String text = Files.readString(ROOT.resolve("LICENSE"));

        assertThat(text.strip()).startsWith("Apache License\n                           Version 2.0, January 2004");
        assertThat(text).contains("END OF TERMS AND CONDITIONS").contains("APPENDIX: How to apply the Apache License");
    }

    @Test
    void pomsWhenReadThenEveryModuleCarriesTheParentsApacheLicence() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));

        assertThat(texts(parent, "licenses", "name")).containsExactly("Apache-2.0");
        List<String> modules = texts(parent, "modules", "module");
        assertThat(modules).isNotEmpty();
        for (String module : modules) {
            Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(texts(pom, "parent", "artifactId")).as(module).containsExactly("todoke-parent");
            assertThat(texts(pom, "licenses", "name"))
                    .as(module + " must not replace the inherited licence")
                    .isEmpty();
        }
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(file.toFile())
                .getDocumentElement();
    }

    /** Texts of the {@code child} elements inside the top-level {@code section} of the pom. */
    private static List<String> texts(Element pom, String section, String child) {
        List<String> texts = new ArrayList<>();
        NodeList sections = pom.getChildNodes();
        for (int i = 0; i < sections.getLength(); i++) {
            if (sections.item(i) instanceof Element s && s.getTagName().equals(section)) {
                NodeList children = s.getElementsByTagName(child);
                for (int j = 0; j < children.getLength(); j++) {
                    texts.add(children.item(j).getTextContent().strip());
                }
            }
        }
        return texts;
    }
}
