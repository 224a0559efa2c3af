package dev.todoke.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.X509TrustManager;

/**
 * Checks a server's certificate chain apart from the handshake (which trusts anything so that the probe
 * can report on servers with invalid certificates): the chain against the trust store, and the name
 * against the MX host (RFC 6125: DNS names in subjectAltName, a wildcard only as the whole left-most
 * label; the subject CN only when there is no DNS name). Thread-safe.
 */
final class CertificateChecks {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final X509TrustManager trustManager;

    CertificateChecks(X509TrustManager trustManager) {
        this.trustManager = trustManager;
    }

    /** Null when the chain verifies against the trust store, else why not. */
    String chainProblem(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "no certificate";
        }
        try {
            trustManager.checkServerTrusted(chain, "UNKNOWN");
            return null;
        } catch (CertificateException | IllegalArgumentException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /** Whether the end-entity certificate names {@code host}. */
    static boolean nameMatches(X509Certificate cert, String host) {
        String h = Domains.host(host);
        try {
            if (isIpLiteral(h)) {
                InetAddress wanted = InetAddress.getByName(h);
                for (String ip : subjectAltNames(cert, SAN_IP)) {
                    if (InetAddress.getByName(ip).equals(wanted)) {
                        return true;
                    }
                }
                return false;
            }
            List<String> dnsNames = subjectAltNames(cert, SAN_DNS);
            if (dnsNames.isEmpty()) {
                String cn = commonName(cert);
                return cn != null && nameMatches(cn, h);
            }
            return dnsNames.stream().anyMatch(n -> nameMatches(n, h));
        } catch (CertificateParsingException | UnknownHostException | InvalidNameException e) {
            return false;
        }
    }

    /** RFC 6125 matching of one presented name: exact, or {@code *.rest} for exactly one label. */
    static boolean nameMatches(String presented, String host) {
        String p = Domains.host(presented);
        if (p.startsWith("*.")) {
            // a wildcard must leave at least two labels (no "*.com")
            return p.substring(2).contains(".") && Domains.matchesOneLabelWildcard(p, host);
        }
        return !p.contains("*") && p.equals(Domains.host(host));
    }

    private static List<String> subjectAltNames(X509Certificate cert, int kind) throws CertificateParsingException {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        List<String> names = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer k && k == kind && san.get(1) instanceof String s) {
                    names.add(s);
                }
            }
        }
        return names;
    }

    private static String commonName(X509Certificate cert) throws InvalidNameException {
        String cn = null;
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
            if ("CN".equalsIgnoreCase(rdn.getType())) {
                cn = String.valueOf(rdn.getValue());
            }
        }
        return cn;
    }
}
