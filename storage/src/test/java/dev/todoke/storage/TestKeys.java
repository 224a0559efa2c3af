package dev.todoke.storage;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fixed key-encryption keys for tests. */
final class TestKeys {

    static final String OLD = Base64.getEncoder().encodeToString(TestData.bytes(32, 901));
    static final String NEW = Base64.getEncoder().encodeToString(TestData.bytes(32, 902));
    static final String OTHER = Base64.getEncoder().encodeToString(TestData.bytes(32, 903));

    private TestKeys() {}

    /** A ring with "k1" only, primary. */
    static KeyRing first() {
        return KeyRing.of(Map.of("k1", OLD), "k1");
    }

    /** After a rotation: "k2" is primary, "k1" stays for reading. */
    static KeyRing rotated() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("k1", OLD);
        keys.put("k2", NEW);
        return KeyRing.of(keys, "k2");
    }
}
