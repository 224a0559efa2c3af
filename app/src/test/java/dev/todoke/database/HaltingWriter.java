package dev.todoke.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A child JVM for {@link DurabilityHaltTest}: opens the H2 file database through {@link DurableDataSource},
 * creates a table (outside any deferred scope), inserts one row the way the first argument says, prints
 * {@code written} and halts without closing anything, as a kill -9 would end it.
 */
final class HaltingWriter {

    private HaltingWriter() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        HikariDataSource hikari = new HikariDataSource();
        hikari.setJdbcUrl(args[1]);
        hikari.setUsername("sa");
        H2Durability durability = new H2Durability();
        DurableDataSource dataSource = new DurableDataSource(hikari, durability);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table mark (id int primary key)");
        }
        switch (mode) {
            case "closed" -> insert(dataSource);
            case "deferred-closed" -> {
                try (Durability.Scope scope = durability.deferred()) {
                    insert(dataSource);
                }
            }
            case "deferred-open" -> {
                Durability.Scope scope = durability.deferred();
                insert(dataSource);
            }
            case "deferred-barrier" -> {
                Durability.Scope scope = durability.deferred();
                insert(dataSource);
                durability.barrier();
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.println("written");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void insert(DurableDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into mark values (1)");
        }
    }
}
