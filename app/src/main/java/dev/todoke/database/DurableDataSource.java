package dev.todoke.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's data source on an embedded H2 file database: a connection's {@code close()} returns
 * once what was committed on it is in H2's file ({@link H2Durability#barrier}), unless the closing thread
 * is inside {@link Durability#deferred}. Spring releases a transaction's connection right after its commit
 * and a statement's without a transaction right after the statement, so every write of a request is
 * durable before the request returns, as it was with {@code WRITE_DELAY=0}.
 */
final class DurableDataSource extends DelegatingDataSource {

    private final H2Durability durability;

    DurableDataSource(DataSource target, H2Durability durability) {
        super(target);
        this.durability = durability;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return durable(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return durable(obtainTargetDataSource().getConnection(username, password));
    }

    private Connection durable(Connection connection) throws SQLException {
        durability.attach(connection);
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Closing(connection));
    }

    /** Passes every call on; after {@code close()}, waits for durability unless deferred. */
    private final class Closing implements InvocationHandler {
        private final Connection target;

        Closing(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "Durable[" + target + "]";
                }
                default -> {}
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("close") && !durability.isDeferred()) {
                durability.barrier();
            }
            return result;
        }
    }
}
