package io.smimedelivery.notification.mail;

import java.util.List;

/**
 * Data of the e-mail templates, with every text already in the recipient's language.
 *
 * @param greeting   salutation line, such as "Gentile Mario Rossi,"
 * @param policyName name of the Outlook S/MIME policy
 * @param devices    the recipient's devices and their landing pages, possibly empty
 * @param reason     for a failure, one sentence that explains it; null for a ready e-mail
 */
public record MailView(String greeting, String policyName, List<DeviceLink> devices, String reason) {
}
