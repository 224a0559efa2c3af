package dev.todoke.mime;

/**
 * Which entities of a parsed message become the copy's body: wrappers (multipart/signed, a top-level
 * encapsulated message) are looked through, and the first text/plain and text/html bodies are the
 * targets of the notice. One instance per rewrite; not thread safe.
 */
final class BodyEntities {

    Part textTarget;
    Part htmlTarget;

    /** Finds the notice targets under {@code body}. */
    BodyEntities(Part body) {
        findTargets(body);
    }

    /** The entity that becomes the body: the top, with signature and encapsulation wrappers removed. */
    static Part unwrap(Part part) {
        Part p = part;
        while (p != null && isWrapper(p)) {
            p = p.children.isEmpty() ? null : p.children.get(0);
        }
        return p;
    }

    static boolean isWrapper(Part p) {
        return p.wrapper || (p.isMultipart() && p.baseType().equals("multipart/signed"));
    }

    static boolean survives(Part p) {
        if (isWrapper(p)) {
            Part inner = unwrap(p);
            return inner != null && survives(inner);
        }
        if (p.isMultipart()) {
            for (Part child : p.children) {
                if (survives(child)) {
                    return true;
                }
            }
            return false;
        }
        return p.role != Part.Role.ATTACHMENT;
    }

    private void findTargets(Part p) {
        if (p == null) {
            return;
        }
        if (isWrapper(p)) {
            findTargets(unwrap(p));
            return;
        }
        if (p.isMultipart()) {
            for (Part child : p.children) {
                findTargets(child);
            }
            return;
        }
        if (p.role != Part.Role.BODY) {
            return;
        }
        if (textTarget == null && (p.baseType().equals("text/plain") || p.opaque)) {
            textTarget = p;
        } else if (htmlTarget == null && p.baseType().equals("text/html")) {
            htmlTarget = p;
        }
    }
}
