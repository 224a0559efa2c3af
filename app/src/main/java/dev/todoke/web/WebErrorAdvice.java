package dev.todoke.web;

import dev.todoke.common.DomainException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that answers errors over HTTP: a {@link DomainException} with the status {@link WebErrors}
 * maps its kind to, framework errors (404, 405, unreadable JSON, a mistyped parameter) alike; JSON {@code
 * {"error": "..."}} under {@code /api/}, the error page elsewhere. Nothing internal reaches the client; unexpected failures are logged here (without the
 * request path, which may hold a token) and answered 500 {@code internal}.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(WebErrorAdvice.class);

    private final JsonMapper json;

    WebErrorAdvice(JsonMapper json) {
        this.json = json;
    }

    @ExceptionHandler(DomainException.class)
    ModelAndView refused(DomainException error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return answer(request, response, WebErrors.status(error.kind()).value(), error.code(), WebErrors.body(error));
    }

    /** A query or path parameter of the wrong type, e.g. {@code ?refresh=maybe}: 400 naming the parameter. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView badParameter(
            MethodArgumentTypeMismatchException error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        boolean yesNo = error.getRequiredType() == boolean.class || error.getRequiredType() == Boolean.class;
        String code = "invalid value for parameter " + error.getName() + (yesNo ? " (use true or false)" : "");
        return refused(DomainException.invalid(code), request, response);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ModelAndView unreadable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return answer(request, response, 400, "bad-request", Map.of("error", "bad-request"));
    }

    private ModelAndView framework(ErrorResponse error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int status = error.getStatusCode().value();
        String code = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> status < 500 ? "bad-request" : "internal";
        };
        error.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        return answer(request, response, status, code, Map.of("error", code));
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (error instanceof ErrorResponse framework) {
            return framework(framework, request, response);
        }
        if (isClientGone(error)) {
            log.debug("client went away: {}", error.getClass().getSimpleName());
            return new ModelAndView();
        }
        log.error("unexpected failure answering {}", request.getMethod(), error);
        return answer(request, response, 500, "internal", Map.of("error", "internal"));
    }

    private ModelAndView answer(
            HttpServletRequest request, HttpServletResponse response, int status, String code, Map<String, Object> body)
            throws IOException {
        if (response.isCommitted()) {
            return new ModelAndView();
        }
        response.resetBuffer();
        response.setHeader("Content-Disposition", null);
        response.setHeader("Content-Range", null);
        response.setStatus(status);
        if (CanonicalPath.of(request).startsWith("/api/")) {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setContentLengthLong(-1);
            json.writeValue(response.getOutputStream(), body);
            return new ModelAndView();
        }
        ModelAndView page = new ModelAndView("error/page");
        page.setStatus(org.springframework.http.HttpStatusCode.valueOf(status));
        page.addObject("status", status);
        page.addObject("code", code);
        return page;
    }

    private static boolean isClientGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("ClientAbortException") || name.equals("AsyncRequestNotUsableException")) {
                return true;
            }
        }
        return false;
    }
}
