package dev.todoke;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Todoke: the SMTP gateway that replaces PPAP with recipient-bound download links. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TodokeApplication {

    public static void main(String[] args) {
        SpringApplication.run(TodokeApplication.class, args);
    }
}
