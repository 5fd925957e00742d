package io.smimedelivery.infra;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * A GreenMail SMTP server on 127.0.0.1 that accepts every message, with an IMAP server beside it so a
 * mail client can read what was sent. Every recipient address gets a mailbox on first delivery, and
 * IMAP logs in with the address as both user name and password.
 */
public final class SmtpServer implements AutoCloseable {

    private final GreenMail greenMail;
    private final int smtpPort;
    private final int imapPort;

    private SmtpServer(GreenMail greenMail, int smtpPort, int imapPort) {
        this.greenMail = greenMail;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    /** Starts SMTP and IMAP on the given ports, or on free ports where a port is 0. */
    public static SmtpServer start(int smtpPort, int imapPort) {
        int smtp = smtpPort == 0 ? FreePorts.find() : smtpPort;
        int imap = imapPort == 0 ? FreePorts.find() : imapPort;
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        });
        greenMail.start();
        return new SmtpServer(greenMail, smtp, imap);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    /** Returns every message received so far. */
    public MimeMessage[] receivedMessages() {
        return greenMail.getReceivedMessages();
    }

    /** Waits up to {@code timeoutMillis} until {@code count} messages have arrived; returns whether they did. */
    public boolean awaitMessages(int count, long timeoutMillis) {
        return greenMail.waitForIncomingEmail(timeoutMillis, count);
    }

    /**
     * Deletes every received message. The server keeps running, so clients need no new connection, which
     * the Vert.x mail client sometimes fails to greet.
     */
    public void purge() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException("Purging the test mailboxes failed", e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
