package io.smimedelivery.notification.mail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server on 127.0.0.1 that follows a script, for the failures that GreenMail cannot produce. It
 * does not advertise PIPELINING, so the client sends one command at a time. Each session runs on its
 * own daemon thread.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    /** How the server treats the next sessions. */
    enum Script {
        /** Accepts every message and records its data. */
        ACCEPT,
        /** Replies 421 in place of the greeting. */
        GREETING_UNAVAILABLE,
        /** Accepts the TCP connection and never sends a greeting. */
        NEVER_GREET,
        /** Replies 550 to MAIL FROM. */
        REJECT_SENDER,
        /** Replies 550 to RCPT TO. */
        REJECT_RECIPIENT_PERMANENTLY,
        /** Replies 451 to RCPT TO. */
        REJECT_RECIPIENT_TEMPORARILY,
        /** Closes the connection when RCPT TO arrives, before any message data. */
        CLOSE_AT_RECIPIENT,
        /** Replies 554 to the end of the message data. */
        REJECT_DATA,
        /** Reads the message data and closes the connection without the final reply. */
        CLOSE_AFTER_DATA
    }

    private static final int SESSION_READ_TIMEOUT_MILLIS = 60_000;

    /**
     * Pause before the greeting. The Vert.x mail client 4.5.27 sometimes misses a greeting that arrives
     * at once after the connection opens, and then waits for it until the timeout. The pause keeps that
     * race out of tests that are about other steps.
     */
    private static final long GREETING_DELAY_MILLIS = 100;

    private final int port;
    private final Set<Socket> sessions = ConcurrentHashMap.newKeySet();
    private final List<byte[]> receivedData = new CopyOnWriteArrayList<>();
    private volatile Script script = Script.ACCEPT;
    private volatile ServerSocket listener;

    private ScriptedSmtpServer(int port) {
        this.port = port;
    }

    static ScriptedSmtpServer start(int port) throws IOException {
        ScriptedSmtpServer server = new ScriptedSmtpServer(port);
        server.listen();
        return server;
    }

    void script(Script next) {
        script = next;
    }

    /** Returns the raw data of every accepted or recorded message, as the client sent it after DATA. */
    List<byte[]> receivedData() {
        return List.copyOf(receivedData);
    }

    /** Closes the listening socket, so that connection attempts are refused until {@link #listen()}. */
    void stopListening() throws IOException {
        ServerSocket current = listener;
        if (current != null) {
            current.close();
        }
    }

    /** Binds the port again and accepts sessions on a daemon thread. */
    void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        Thread acceptor = new Thread(() -> acceptSessions(socket), "scripted-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes every open session, clears the recorded messages and returns to {@link Script#ACCEPT}. */
    void reset() {
        for (Socket session : sessions) {
            closeQuietly(session);
        }
        sessions.clear();
        receivedData.clear();
        script = Script.ACCEPT;
    }

    @Override
    public void close() throws IOException {
        reset();
        stopListening();
    }

    private void acceptSessions(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket session = socket.accept();
                sessions.add(session);
                Script sessionScript = script;
                Thread handler = new Thread(() -> runSession(session, sessionScript), "scripted-smtp-session");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void runSession(Socket session, Script sessionScript) {
        try (session) {
            session.setSoTimeout(SESSION_READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(session.getInputStream());
            OutputStream out = session.getOutputStream();
            converse(in, out, sessionScript);
        } catch (SocketException e) {
            // The client or reset() closed the connection.
        } catch (IOException e) {
            throw new IllegalStateException("Scripted SMTP session failed", e);
        } finally {
            sessions.remove(session);
        }
    }

    private void converse(InputStream in, OutputStream out, Script sessionScript) throws IOException {
        if (sessionScript == Script.NEVER_GREET) {
            while (in.read() >= 0) {
                // Reads until the client gives up, never replying.
            }
            return;
        }
        sleep(GREETING_DELAY_MILLIS);
        if (sessionScript == Script.GREETING_UNAVAILABLE) {
            reply(out, "421 4.3.2 scripted.test Service not available");
            return;
        }
        reply(out, "220 scripted.test ESMTP");
        String line;
        while ((line = readLine(in)) != null) {
            String command = line.strip().toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                reply(out, "250-scripted.test\r\n250 8BITMIME");
            } else if (command.startsWith("HELO") || command.startsWith("RSET") || command.startsWith("NOOP")) {
                reply(out, "250 2.0.0 Ok");
            } else if (command.startsWith("MAIL FROM")) {
                reply(out, sessionScript == Script.REJECT_SENDER
                        ? "550 5.7.1 Sender address rejected"
                        : "250 2.1.0 Ok");
            } else if (command.startsWith("RCPT TO")) {
                switch (sessionScript) {
                    case REJECT_RECIPIENT_PERMANENTLY -> reply(out, "550 5.1.1 Recipient address rejected: user unknown");
                    case REJECT_RECIPIENT_TEMPORARILY -> reply(out, "451 4.3.0 Mailbox temporarily unavailable");
                    case CLOSE_AT_RECIPIENT -> {
                        return;
                    }
                    default -> reply(out, "250 2.1.5 Ok");
                }
            } else if (command.equals("DATA")) {
                reply(out, "354 End data with <CR><LF>.<CR><LF>");
                receivedData.add(readData(in));
                if (sessionScript == Script.CLOSE_AFTER_DATA) {
                    return;
                }
                reply(out, sessionScript == Script.REJECT_DATA
                        ? "554 5.7.1 Message rejected as spam"
                        : "250 2.0.0 Ok: queued");
            } else if (command.startsWith("QUIT")) {
                reply(out, "221 2.0.0 Bye");
                return;
            } else {
                reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    /** Reads the message data up to the line ".", and returns it raw, without that line. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                if (".\r\n".equals(line.toString(StandardCharsets.ISO_8859_1))) {
                    return data.toByteArray();
                }
                line.writeTo(data);
                line.reset();
            }
        }
        line.writeTo(data);
        return data.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted before the greeting", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
