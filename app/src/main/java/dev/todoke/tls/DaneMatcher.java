package dev.todoke.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.xbill.DNS.TLSARecord;

/**
 * Matches a certificate chain against TLSA records as RFC 7672 asks of SMTP clients: usages DANE-TA(2)
 * and DANE-EE(3); PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP and never match.
 */
final class DaneMatcher {

    private DaneMatcher() {}

    static boolean matches(List<TLSARecord> records, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return false;
        }
        for (TLSARecord r : records) {
            if (r.getCertificateUsage() == 3 && matches(r, chain[0])) {
                return true;
            }
            if (r.getCertificateUsage() == 2) {
                for (int i = 1; i < chain.length; i++) {
                    if (matches(r, chain[i])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean matches(TLSARecord r, X509Certificate cert) {
        try {
            byte[] selected = switch (r.getSelector()) {
                case 0 -> cert.getEncoded();
                case 1 -> cert.getPublicKey().getEncoded();
                default -> null;
            };
            if (selected == null) {
                return false;
            }
            byte[] data = switch (r.getMatchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return data != null && MessageDigest.isEqual(data, r.getCertificateAssociationData());
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return false;
        }
    }
}
