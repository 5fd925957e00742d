package io.smimedelivery.notification;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An SMTP listener on 127.0.0.1 that accepts connections and never sends the greeting, with the mailer
 * pointed at it and a short mailer timeout.
 */
public class SilentSmtpTestResource implements QuarkusTestResourceLifecycleManager {

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("The silent SMTP listener did not start", e);
        }
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                    CONNECTIONS.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(server.getLocalPort()),
                "quarkus.mailer.timeout", "2s");
    }

    /** Returns how many connections the listener accepted so far. */
    public static int connections() {
        return CONNECTIONS.get();
    }

    @Override
    public void stop() {
        try {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException("The silent SMTP listener did not stop", e);
        }
    }
}
