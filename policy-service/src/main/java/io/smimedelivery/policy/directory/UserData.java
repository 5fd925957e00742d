package io.smimedelivery.policy.directory;

/**
 * A directory user as an administrator or an identity provider supplies it.
 *
 * @param id                 stable id, such as the identity provider's object id
 * @param userPrincipalName  sign-in name, such as mario.rossi@example.it
 * @param email              primary SMTP address; S/MIME certificates must carry it
 * @param displayName        name shown to people
 * @param preferredLanguage  BCP 47 language tag, such as it or en; null for the service default
 */
public record UserData(String id, String userPrincipalName, String email, String displayName, String preferredLanguage) {
}
